"""Whose audit history of the checkpoints' records a user may read (the contract's audit
scopes): those who read the audit trail of the checkpoint's area."""

from __future__ import annotations

from dualtrack.areas.audit_scopes import scoped_by_area
from dualtrack.checkpoints.models import Alert, Checkpoint, Passage, Shift

AUDIT_SCOPES = (
    scoped_by_area(Checkpoint),
    scoped_by_area(Shift, "checkpoint__area"),
    scoped_by_area(Passage, "checkpoint__area"),
    scoped_by_area(Alert, "checkpoint__area"),
)
