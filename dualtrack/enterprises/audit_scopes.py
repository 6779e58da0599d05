"""Whose audit history of the enterprises' records a user may read (the contract's audit
scopes): those who read the audit trail of the enterprise's town."""

from __future__ import annotations

from dualtrack.areas.audit_scopes import scoped_by_area
from dualtrack.enterprises.models import (
    DailyReport,
    Employee,
    Enterprise,
    EnterpriseSignup,
    Inspection,
    ResumptionFiling,
)

AUDIT_SCOPES = (
    scoped_by_area(Enterprise),
    scoped_by_area(Employee, "enterprise__area"),
    scoped_by_area(EnterpriseSignup, "enterprise__area"),
    scoped_by_area(ResumptionFiling, "enterprise__area"),
    scoped_by_area(DailyReport, "enterprise__area"),
    scoped_by_area(Inspection, "enterprise__area"),
)
