"""Whose audit history of command's records a user may read: those who read the audit trail of
the record's area (a directive's issuing area, a part's recipient area, a meeting's district)."""

from __future__ import annotations

from dualtrack.areas.audit_scopes import scoped_by_area
from dualtrack.command.models import Decision, Directive, DirectiveAssignment, Meeting

AUDIT_SCOPES = (
    scoped_by_area(Directive, "issuer_area"),
    scoped_by_area(DirectiveAssignment),
    scoped_by_area(Meeting),
    scoped_by_area(Decision, "meeting__area"),
)
