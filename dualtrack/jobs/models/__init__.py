"""The employment services (用工服务): online fairs and postings, applications to hires,
introducers; every model is importable from here, where Django and the migrations look."""

from __future__ import annotations

from dualtrack.jobs.models.applications import (
    ACTIVE_STATUSES,
    COUNTED_STATUSES,
    INTERVIEWED_STATUSES,
    Applicant,
    Application,
    ApplicationAction,
    ApplicationEvent,
    ApplicationStatus,
    CodeChallenge,
    CodePurpose,
    ContractKind,
    InterviewMode,
)
from dualtrack.jobs.models.fairs import Fair, FairState, Posting, PostingStatus
from dualtrack.jobs.models.introducers import Introducer, IntroducerKind, Introduction
from dualtrack.jobs.models.transport import Rider, Ticket, Trip, TripMode, TripStatus

__all__ = [
    "ACTIVE_STATUSES",
    "COUNTED_STATUSES",
    "INTERVIEWED_STATUSES",
    "Applicant",
    "Application",
    "ApplicationAction",
    "ApplicationEvent",
    "ApplicationStatus",
    "CodeChallenge",
    "CodePurpose",
    "ContractKind",
    "Fair",
    "FairState",
    "InterviewMode",
    "Introducer",
    "IntroducerKind",
    "Introduction",
    "Posting",
    "PostingStatus",
    "Rider",
    "Ticket",
    "Trip",
    "TripMode",
    "TripStatus",
]
