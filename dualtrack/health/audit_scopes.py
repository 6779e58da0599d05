"""Whose audit history of health's records a user may read (core.platform.AuditScope)."""

from __future__ import annotations

from dualtrack.areas.audit_scopes import scoped_by_area
from dualtrack.core.platform import AuditScope
from dualtrack.health.models import (
    Campaign,
    Case,
    Contact,
    ContactSearch,
    HealthAlert,
    QuarantineCheck,
    QuarantineOrder,
    QuarantineSite,
)

AUDIT_SCOPES: list[AuditScope] = [
    # screening: a campaign's history (opened, renamed, closed, each batch of visits) is read by
    # those who read the history of an area it covers.
    scoped_by_area(Campaign, "campaign_areas__area"),
    scoped_by_area(HealthAlert),
    # quarantine
    scoped_by_area(QuarantineSite),
    scoped_by_area(QuarantineOrder),
    scoped_by_area(QuarantineCheck, "order__area"),
    # cases
    scoped_by_area(Case),
    scoped_by_area(ContactSearch, "case__area"),
    scoped_by_area(Contact),
]
