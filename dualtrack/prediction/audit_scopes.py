"""Whose audit history of the early warning's records a user may read: those who read the audit
trail of the signal's area (a recomputation is the district's)."""

from __future__ import annotations

from dualtrack.areas.audit_scopes import scoped_by_area
from dualtrack.prediction.models import Signal

AUDIT_SCOPES = (scoped_by_area(Signal),)
