"""The only code that writes checkpoints data, split by what it does; import from the submodules
(``from dualtrack.checkpoints.services.registry import checkpoint_create``)."""
