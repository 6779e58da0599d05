"""Schemas of the enterprises API. Phones and ID numbers leave only masked."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from dualtrack.core.schemas import InputSchema
from dualtrack.enterprises.models import (
    FilingRoute,
    FilingStatus,
    HealthStatus,
    Inspection,
    Phase,
    Rectification,
    ResumptionStatus,
    SignupStatus,
    SizeClass,
)

PAGE_DESCRIPTION = "Pass `next_after` back as `?after=` for the next page; null on the last page."


class TownRefOut(Schema):
    id: int
    code: str
    name: str


class EnterpriseOut(Schema):
    id: int
    credit_code: str
    name: str
    town: TownRefOut = Field(alias="area")
    legal_representative: str
    contact_name: str
    contact_phone: str = Field(alias="contact_phone_masked", description="Masked.")
    address: str
    division_code: str | None = Field(None, description="GB/T 4754-2017 division (大类).")
    above_scale: bool
    size_class: SizeClass
    key_enterprise: bool
    normal_workforce: int
    status: ResumptionStatus
    resumed_on: datetime.date | None
    in_supervision_pool: bool

    @staticmethod
    def resolve_division_code(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.division.code if obj.division_id else None


class EnterprisePageOut(Schema):
    items: list[EnterpriseOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class EnterpriseIn(InputSchema):
    credit_code: str
    name: str
    town_id: int
    legal_representative: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""
    division_code: str = Field("", description="GB/T 4754-2017 division (大类), 01–97.")
    above_scale: bool = False
    size_class: SizeClass = SizeClass.SMALL
    key_enterprise: bool = False
    normal_workforce: int = 0


class SuspendIn(InputSchema):
    reason: str


class PhaseOut(Schema):
    phase: Phase
    effective_from: datetime.date
    note: str


class PhaseIn(InputSchema):
    phase: Phase
    effective_from: datetime.date
    note: str = ""


class SignupOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str = Field(alias="enterprise.name")
    username: str = Field(alias="user.username")
    contact_name: str
    status: SignupStatus
    reason: str
    created_at: datetime.datetime


class SignupDecisionIn(InputSchema):
    approve: bool
    reason: str = ""


class FilingIn(InputSchema):
    planned_date: datetime.date
    workers_planned: int
    masks_days: int = 0
    disinfectant_days: int = 0
    temperature_checks: bool = False
    disinfection_schedule: str = ""
    canteen_measures: str = ""
    dormitory_measures: str = ""
    isolation_room: bool = False
    prevention_officer: str = ""
    commitment_signed: bool = Field(description="The signed commitment (承诺书); must be true.")
    commitment_signer: str


class FilingOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str = Field(alias="enterprise.name")
    phase: Phase
    route: FilingRoute
    status: FilingStatus
    planned_date: datetime.date
    workers_planned: int
    gaps: list[str] = Field(description="What the checklist lacks; flagged for the inspector.")
    return_reason: str
    notice_number: str
    submitted_at: datetime.datetime
    decided_at: datetime.datetime | None


class ReturnIn(InputSchema):
    reason: str


class DailyReportIn(InputSchema):
    date: datetime.date = Field(description="The day whose 24:00 figure this is.")
    workers_on_duty: int


class DailyReportOut(Schema):
    enterprise_id: int
    date: datetime.date
    workers_on_duty: int = Field(description="The figure that counts: the last one sent in time.")
    reported_at: datetime.datetime
    is_late: bool = Field(description="The figure that counts was sent after the deadline.")
    late_workers_on_duty: int | None = Field(
        description="A figure sent again after the deadline: kept, not counted."
    )
    late_reported_at: datetime.datetime | None


class MissingReportOut(Schema):
    date: datetime.date
    enterprises: list[EnterpriseOut]


class TallyOut(Schema):
    key: str
    label: str
    enterprises: int
    filed: int
    approved: int
    resumed: int
    normal_workforce: int
    workers_on_duty: int
    reports: int
    resumption_rate: float = Field(description="Resumed as a percentage of enterprises.")
    workforce_rate: float = Field(description="Workers on duty as a percentage of the normal.")


class SeriesPointOut(Schema):
    date: datetime.date
    enterprises: int
    filed: int
    approved: int
    resumed: int
    normal_workforce: int
    workers_on_duty: int
    reports: int
    resumption_rate: float


class FiguresOut(Schema):
    as_of: datetime.date
    report_date: datetime.date = Field(description="The 24:00 whose workers on duty are shown.")
    total: TallyOut
    above_scale: TallyOut
    by_town: list[TallyOut]
    by_sector: list[TallyOut]
    by_size: list[TallyOut]
    series: list[SeriesPointOut] = Field(description="Day by day, from the 24:00 snapshots.")


class EmployeeOut(Schema):
    id: int
    name: str
    id_number: str = Field(alias="id_number_masked", description="Masked.")
    phone: str = Field(alias="phone_masked", description="Masked.")
    home_region: str
    returned_from: str
    returned_on: datetime.date | None
    health: HealthStatus
    quarantine_needed: bool = Field(description="Needed on return from a risk region.")
    quarantine_until: datetime.date | None
    quarantine_active: bool = Field(description="Still in quarantine today.")
    new_hire: bool
    hire_date: datetime.date | None


class EmployeeIn(InputSchema):
    name: str
    id_number: str = ""
    phone: str = ""
    home_region: str = Field("", description="GB/T 2260 code.")
    returned_from: str = Field("", description="GB/T 2260 code.")
    returned_on: datetime.date | None = None
    health: HealthStatus = HealthStatus.HEALTHY
    new_hire: bool = False
    hire_date: datetime.date | None = None


class DrawIn(InputSchema):
    fraction: float = Field(description="The share drawn from each stratum, 0.001–1.")
    seed: int | None = Field(None, description="Repeat a draw by passing its seed.")
    town_ids: list[int] = []


class DrawOut(Schema):
    id: int
    seed: int
    fraction: float
    strata: list[dict[str, Any]]
    drawn: list[int]
    drawn_at: datetime.datetime


class RectificationIn(InputSchema):
    requirement: str
    deadline: datetime.date


class InspectionIn(InputSchema):
    inspected_on: datetime.date
    checklist: dict[str, bool] = {}
    findings: str = ""
    rectifications: list[RectificationIn] = []
    draw_id: int | None = None


class RectificationOut(Schema):
    id: int
    requirement: str
    deadline: datetime.date
    closed_on: datetime.date | None


class InspectionOut(Schema):
    id: int
    enterprise_id: int
    inspected_on: datetime.date
    checklist: dict[str, bool]
    findings: str
    result: str
    rectifications: list[RectificationOut]

    @staticmethod
    def resolve_rectifications(obj: Inspection) -> list[Rectification]:
        return list(obj.rectifications.all())


class CloseIn(InputSchema):
    note: str
    closed_on: datetime.date | None = None
