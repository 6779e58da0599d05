"""Schemas of the investment routes."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from dualtrack.core.schemas import Id, InputSchema
from dualtrack.investment.models import DocumentDirection, Stage


class MeetingOut(Schema):
    id: int
    held_at: datetime.datetime
    participants: str
    video_link: str
    minutes: str


class ProjectDocumentOut(Schema):
    id: int
    title: str
    direction: DocumentDirection
    content_type: str


class ProjectEventOut(Schema):
    stage: Stage
    at: datetime.datetime
    note: str


class ProjectOut(Schema):
    id: int
    name: str
    investor: str
    industry: str
    amount: Decimal
    jobs_expected: int
    team: str
    local_company_id: int | None
    stage: Stage
    next_step: str
    next_step_on: datetime.date | None
    stalled: bool
    ceremony_id: int | None
    signed_at: datetime.datetime | None


class ProjectDetailOut(ProjectOut):
    meetings: list[MeetingOut]
    documents: list[ProjectDocumentOut]
    history: list[ProjectEventOut]


class ProjectIn(InputSchema):
    name: str = Field(max_length=200)
    investor: str = Field(max_length=200)
    industry: str = Field(max_length=100)
    amount: Decimal = Field(ge=0, max_digits=16, decimal_places=2, description="yuan")
    jobs_expected: int = Field(ge=0, le=1_000_000)
    team: str = Field(max_length=200)
    next_step: str = Field(default="", max_length=300)
    next_step_on: datetime.date | None = None
    local_company_id: Id | None = None


class StageIn(InputSchema):
    stage: Stage
    next_step: str = Field(default="", max_length=300)
    next_step_on: datetime.date | None = None
    note: str = Field(default="", max_length=300)


class MeetingIn(InputSchema):
    held_at: datetime.datetime
    participants: str = Field(max_length=500)
    video_link: str = Field(default="", max_length=300)
    minutes: str = Field(default="", max_length=5000)


class CeremonyIn(InputSchema):
    title: str = Field(max_length=200)
    held_at: datetime.datetime
    video_link: str = Field(default="", max_length=300)
    project_ids: list[Id] = Field(max_length=200)


class CeremonyOut(Schema):
    id: int
    title: str
    held_at: datetime.datetime
    video_link: str
    project_ids: list[int]

    @staticmethod
    def resolve_project_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return sorted(p.pk for p in obj.projects.all())


class StageFigureOut(Schema):
    stage: Stage
    label: str
    projects: int
    amount: Decimal


class CeremonyFigureOut(Schema):
    id: int
    title: str
    held_at: datetime.datetime
    projects: int
    amount: Decimal
    jobs: int


class PipelineFiguresOut(Schema):
    by_stage: list[StageFigureOut]
    stalled: int
    ceremonies: list[CeremonyFigureOut]
    signed_projects: int
    signed_amount: Decimal
    signed_jobs: int
