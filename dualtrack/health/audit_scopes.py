"""Whose audit history of health's records a user may read (core.platform.AuditScope)."""

from __future__ import annotations

from dualtrack.areas.audit_scopes import scoped_by_area
from dualtrack.core.platform import AuditScope
from dualtrack.health.models import HealthAlert, QuarantineCheck, QuarantineOrder, QuarantineSite

AUDIT_SCOPES: list[AuditScope] = [
    scoped_by_area(HealthAlert),
    # quarantine
    scoped_by_area(QuarantineSite),
    scoped_by_area(QuarantineOrder),
    scoped_by_area(QuarantineCheck, "order__area"),
]
