"""Reads of checkpoints, shifts, the register and alerts, always through the user's scope (the
rule is ``dualtrack.checkpoints.access``). Split by subtopic; import from the submodules."""
