"""Schemas of the employment API. ID numbers and mobiles leave only masked."""

from __future__ import annotations

import datetime

from django.utils import timezone
from ninja import Field, Schema

from dualtrack.core.schemas import Id, InputSchema
from dualtrack.jobs.models import (
    ApplicationAction,
    ApplicationStatus,
    ContractKind,
    FairState,
    InterviewMode,
    IntroducerKind,
    PostingStatus,
)

PAGE_DESCRIPTION = "Pass `next_after` back as `?after=` for the next page; null on the last page."


class FairOut(Schema):
    id: int
    title: str
    theme: str
    description: str
    starts_on: datetime.date
    ends_on: datetime.date
    state: FairState = Field(description="upcoming, open, ended or closed, today.")
    closed_at: datetime.datetime | None
    enterprise_ids: list[int]

    @staticmethod
    def resolve_state(obj) -> str:  # type: ignore[no-untyped-def]
        return str(obj.state_on(timezone.localdate()))

    @staticmethod
    def resolve_enterprise_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return sorted(e.pk for e in obj.enterprises.all())


class FairIn(InputSchema):
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    theme: str = ""
    description: str = ""
    enterprise_ids: list[Id] = Field(default_factory=list, description="Enterprises taking part.")


class FairUpdateIn(InputSchema):
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    theme: str = ""
    description: str = ""


class FairEnterprisesIn(InputSchema):
    enterprise_ids: list[Id]


class PostingOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str = Field(alias="enterprise.name")
    fair_id: int | None
    title: str
    positions: int
    hired: int
    pay_min: int
    pay_max: int
    requirements: str
    place: str
    town_id: int
    contact_name: str
    contact_phone: str = Field(alias="contact_phone_masked", description="Masked.")
    status: PostingStatus
    created_at: datetime.datetime


class PostingPageOut(Schema):
    items: list[PostingOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class PostingIn(InputSchema):
    enterprise_id: Id
    fair_id: Id | None = Field(None, description="None: a standing posting.")
    town_id: Id | None = Field(
        None, description="The town of the place of work; default the enterprise's."
    )
    title: str
    positions: int
    pay_min: int = Field(description="Yuan a month.")
    pay_max: int = Field(description="Yuan a month.")
    requirements: str = ""
    place: str
    contact_name: str
    contact_phone: str


class PublicPostingOut(Schema):
    id: int
    enterprise: str = Field(alias="enterprise.name")
    fair_id: int | None
    title: str
    positions: int
    hired: int
    pay_min: int
    pay_max: int
    place: str
    town: str = Field(alias="town.name")
    industry: str | None = None
    status: PostingStatus

    @staticmethod
    def resolve_industry(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.sector.name if obj.sector_id else None


class PublicPostingPageOut(Schema):
    items: list[PublicPostingOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class EventOut(Schema):
    action: ApplicationAction
    at: datetime.datetime
    by: str | None = None
    note: str

    @staticmethod
    def resolve_by(obj) -> str | None:  # type: ignore[no-untyped-def]
        return str(obj.by) if obj.by_id else None


class ApplicationOut(Schema):
    id: int
    posting_id: int
    posting: str = Field(alias="posting.title")
    enterprise_id: int
    fair_id: int | None
    name: str = Field(alias="applicant.name")
    id_number: str = Field(alias="applicant.id_number_masked", description="Masked.")
    mobile: str = Field(alias="applicant.mobile_masked", description="Masked.")
    experience: str
    introducer_id: int | None
    status: ApplicationStatus
    verified_at: datetime.datetime | None
    interview_mode: str
    interview_at: datetime.datetime | None
    interview_link: str
    interview_place: str
    offered_at: datetime.datetime | None
    start_date: datetime.date | None
    contract_kind: str
    contract_months: int | None
    hired_at: datetime.datetime | None
    reason: str


class ApplicationDetailOut(ApplicationOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj) -> list[object]:  # type: ignore[no-untyped-def]
        return list(obj.events.select_related("by").order_by("at", "pk"))


class ApplicationPageOut(Schema):
    items: list[ApplicationOut]
    next_after: int | None = Field(description=PAGE_DESCRIPTION)


class RevealedOut(Schema):
    id_number: str
    mobile: str


class NoteIn(InputSchema):
    note: str = ""


class ReasonIn(InputSchema):
    reason: str


class InviteIn(InputSchema):
    mode: InterviewMode
    at: datetime.datetime
    link: str = Field("", description="The video link of an online interview.")
    place: str = Field("", description="Where an on-site interview is held.")


class HireIn(InputSchema):
    start_date: datetime.date = Field(description="On or after the offer's date.")
    contract_kind: ContractKind
    contract_months: int | None = Field(None, description="A fixed-term contract's term.")
    introducer_code: str = Field("", description="The introducer who brought the worker.")


class ApplyIn(InputSchema):
    name: str
    id_number: str
    mobile: str
    experience: str = ""
    introducer_code: str = ""


class CodeIssuedOut(Schema):
    key: str = Field(description="Send back with the code.")
    code: str = Field(
        description="The code itself where the platform shows it (the demo); else empty."
    )


class CodeIn(InputSchema):
    key: str
    code: str


class SeekerApplicationOut(Schema):
    id: int
    posting: str = Field(alias="posting.title")
    enterprise: str = Field(alias="enterprise.name")
    status: ApplicationStatus
    verified_at: datetime.datetime | None
    interview_mode: str
    interview_at: datetime.datetime | None
    interview_link: str
    interview_place: str
    start_date: datetime.date | None
    reason: str


class VerifiedOut(Schema):
    application_id: int
    link: str = Field(description="The job seeker's personal link to their applications.")


class IntroducerOut(Schema):
    id: int
    kind: IntroducerKind
    name: str
    code: str
    mobile: str = Field(alias="mobile_masked", description="Masked.")
    self_registered: bool
    verified_at: datetime.datetime | None


class IntroducerIn(InputSchema):
    kind: IntroducerKind
    name: str
    mobile: str
    id_number: str = Field("", description="A person's.")
    credit_code: str = Field("", description="An organisation's.")


class EnterpriseCountOut(Schema):
    enterprise_id: int
    name: str
    workers: int


class IntroducerDetailOut(IntroducerOut):
    qualifying_hires: int = Field(description="Workers counted for this introducer and hired.")
    claimed: int = Field(description="Workers counted for this introducer, hired or not.")
    reached_threshold: bool = Field(description="20 or more qualifying hires.")
    by_enterprise: list[EnterpriseCountOut]


class RecruitmentTallyOut(Schema):
    id: int | None
    label: str
    postings: int
    positions: int
    applications: int
    interviews: int
    hires: int


class RecruitmentFiguresOut(Schema):
    total: RecruitmentTallyOut
    by_fair: list[RecruitmentTallyOut]
    by_enterprise: list[RecruitmentTallyOut]
