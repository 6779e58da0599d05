"""Schemas of the front line's API. Mobiles and ID numbers leave only masked."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from dualtrack.core.schemas import Id, InputSchema
from dualtrack.volunteers.models import (
    AssignmentStatus,
    BranchSite,
    DutyKind,
    PersonKind,
    VolunteerStatus,
    ZoneKind,
)

PAGE_DESCRIPTION = "Pass `next_after` back as `?after=` for the next page; null on the last page."


class AreaRef(Schema):
    id: int
    name: str
    code: str


class MemberOut(Schema):
    id: int
    name: str
    cadre_id: int | None
    is_secretary: bool
    zone_kind: ZoneKind
    zone: str
    households: int


class BranchOut(Schema):
    id: int
    name: str
    site: BranchSite
    area: AreaRef
    checkpoint_id: int | None
    work_team: str
    founded_on: datetime.date


class BranchDetailOut(BranchOut):
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj) -> list[object]:  # type: ignore[no-untyped-def]
        return list(obj.members.all())


class BranchPageOut(Schema):
    items: list[BranchOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class BranchIn(InputSchema):
    area_id: Id
    name: str
    site: BranchSite
    founded_on: datetime.date
    checkpoint_id: Id | None = None
    work_team: str = ""


class MemberIn(InputSchema):
    name: str
    zone_kind: ZoneKind
    zone: str
    households: int = Field(0, ge=0, le=100_000)
    is_secretary: bool = False
    cadre_id: Id | None = None


class TeamOut(Schema):
    id: int
    name: str
    area: AreaRef
    leader: str
    members: list[str] = Field(alias="member_names")
    task: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class TeamPageOut(Schema):
    items: list[TeamOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class TeamIn(InputSchema):
    area_id: Id
    name: str
    leader: str
    members: list[str] = Field(default_factory=list, max_length=200)
    task: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None


class CadreRef(Schema):
    id: int
    name: str


class DeploymentOut(Schema):
    id: int
    cadre: CadreRef
    area: AreaRef
    task: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    leader: CadreRef | None


class DeploymentPageOut(Schema):
    items: list[DeploymentOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class DeploymentIn(InputSchema):
    cadre_id: Id
    area_id: Id
    task: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    leader_id: Id | None = None


class VolunteerOut(Schema):
    id: int
    name: str
    mobile: str = Field(alias="mobile_masked")
    id_number: str = Field(alias="id_number_masked")
    birth_year: int
    skills: str
    hours_per_week: int
    villages: list[AreaRef]
    status: VolunteerStatus
    decline_reason: str
    username: str | None = None
    created_at: datetime.datetime

    @staticmethod
    def resolve_villages(obj) -> list[object]:  # type: ignore[no-untyped-def]
        return list(obj.villages.all())

    @staticmethod
    def resolve_username(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.user.username if obj.user_id else None


class VolunteerPageOut(Schema):
    items: list[VolunteerOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class ApprovalOut(Schema):
    volunteer: VolunteerOut
    username: str
    initial_password: str = Field(description="Shown once; the volunteer changes it.")


class DeclineIn(InputSchema):
    reason: str


class VolunteerRevealedOut(Schema):
    mobile: str
    id_number: str


class AssignmentOut(Schema):
    id: int
    duty_id: int
    person_kind: PersonKind
    name: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: AssignmentStatus
    confirmed_at: datetime.datetime | None
    worked_minutes: int | None


class DutyOut(Schema):
    id: int
    kind: DutyKind
    title: str
    area: AreaRef
    shift_id: int | None
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    needed: int
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_assignments(obj) -> list[object]:  # type: ignore[no-untyped-def]
        return list(obj.assignments.all())


class DutyIn(InputSchema):
    area_id: Id
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    needed: int = Field(ge=1, le=50)


class ShiftDutyIn(InputSchema):
    needed: int | None = Field(None, ge=1, le=50)


class AssignIn(InputSchema):
    person_kind: PersonKind
    person_id: Id


class RecordIn(InputSchema):
    worked: bool
    minutes: int | None = Field(None, ge=1, le=24 * 60)


class RosterEntryOut(Schema):
    kind: DutyKind
    title: str
    area: AreaRef
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    shift_id: int | None
    duty_id: int | None
    needed: int
    people: int
    short: bool
    staff: list[str]
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_duty_id(obj) -> int | None:  # type: ignore[no-untyped-def]
        return obj.duty.pk if obj.duty else None


class RosterPageOut(Schema):
    items: list[RosterEntryOut] = Field(alias="entries")
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class TownFiguresOut(Schema):
    town: AreaRef
    on_duty: int
    volunteers_on_duty: int
    hours: float
    gaps: int
