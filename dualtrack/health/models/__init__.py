"""Health (防疫): screening campaigns, quarantine, the case line list and possible contacts.

The models are split by subtopic; everything is importable from ``dualtrack.health.models``.
"""

from dualtrack.health.models.alerts import AlertKind, AlertOutcome, HealthAlert
from dualtrack.health.models.cases import (
    Case,
    CaseClassification,
    CaseOrigin,
    ClassificationChange,
    Contact,
    ContactSearch,
    ContactStatus,
)
from dualtrack.health.models.quarantine import (
    CheckPeriod,
    OrderChange,
    OrderChangeKind,
    OrderSource,
    OrderStatus,
    PersonKind,
    QuarantineCheck,
    QuarantineKind,
    QuarantineOrder,
    QuarantineSite,
    QuarantineSiteStaff,
)
from dualtrack.health.models.screening import (
    Campaign,
    CampaignArea,
    CoverageCounter,
    HouseholdVisit,
    ScreeningRecord,
    VisitOutcome,
)

__all__ = [
    "AlertKind",
    "AlertOutcome",
    "Campaign",
    "CampaignArea",
    "Case",
    "CaseClassification",
    "CaseOrigin",
    "CheckPeriod",
    "ClassificationChange",
    "Contact",
    "ContactSearch",
    "ContactStatus",
    "CoverageCounter",
    "HealthAlert",
    "HouseholdVisit",
    "OrderChange",
    "OrderChangeKind",
    "OrderSource",
    "OrderStatus",
    "PersonKind",
    "QuarantineCheck",
    "QuarantineKind",
    "QuarantineOrder",
    "QuarantineSite",
    "QuarantineSiteStaff",
    "ScreeningRecord",
    "VisitOutcome",
]
