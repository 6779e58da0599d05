"""Enterprises, their people and their resumption of work (复工复产), by subtopic; every model
is importable from here, where Django and the migrations look for them."""

from __future__ import annotations

from dualtrack.enterprises.models.filings import (
    GRANTED_FILING_STATUSES,
    OPEN_FILING_STATUSES,
    DistrictPhase,
    FilingAction,
    FilingEvent,
    FilingRoute,
    FilingStatus,
    Phase,
    ResumptionFiling,
    filing_plan_path,
)
from dualtrack.enterprises.models.registry import (
    Enterprise,
    EnterpriseMember,
    EnterpriseSignup,
    IndustryDivision,
    ResumptionStatus,
    SignupStatus,
    SizeClass,
)
from dualtrack.enterprises.models.reports import (
    DailyReport,
    DailySnapshot,
    report_deadline,
)
from dualtrack.enterprises.models.roster import (
    Employee,
    HealthStatus,
)
from dualtrack.enterprises.models.supervision import (
    Inspection,
    InspectionPhoto,
    InspectionResult,
    Rectification,
    SampleDraw,
    inspection_photo_path,
)

__all__ = [
    "GRANTED_FILING_STATUSES",
    "OPEN_FILING_STATUSES",
    "DailyReport",
    "DailySnapshot",
    "DistrictPhase",
    "Employee",
    "Enterprise",
    "EnterpriseMember",
    "EnterpriseSignup",
    "FilingAction",
    "FilingEvent",
    "FilingRoute",
    "FilingStatus",
    "HealthStatus",
    "IndustryDivision",
    "Inspection",
    "InspectionPhoto",
    "InspectionResult",
    "Phase",
    "Rectification",
    "ResumptionFiling",
    "ResumptionStatus",
    "SampleDraw",
    "SignupStatus",
    "SizeClass",
    "filing_plan_path",
    "inspection_photo_path",
    "report_deadline",
]
