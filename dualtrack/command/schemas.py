"""Command's API schemas."""

from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field

from dualtrack.core.schemas import InputSchema


class PartOut(Schema):
    id: int
    recipient: str
    recipient_area_id: int | None
    recipient_unit_id: int | None
    status: str
    status_label: str
    progress: int = Field(description="rolled up from the parts it was passed on to")
    overdue: bool
    escalated: bool
    sub_directive_ids: list[int]


class AttachmentOut(Schema):
    id: int
    name: str
    report_id: int | None = Field(description="the closing report it is evidence of; null: issued")


class DirectiveOut(Schema):
    id: int
    title: str
    body: str
    done_when: str
    check_key: str
    deadline: datetime.datetime
    issuer: str
    issued_at: datetime.datetime
    parent_part_id: int | None
    decision_id: int | None
    progress: int
    parts: list[PartOut]
    attachments: list[AttachmentOut] = Field(
        description="its files and the parts' evidence in sight; GET /attachments/{id} for each"
    )


class DirectiveBriefOut(Schema):
    id: int
    title: str
    deadline: datetime.datetime
    issuer: str
    issued_at: datetime.datetime


class DirectiveIn(InputSchema):
    title: str = Field(max_length=200)
    body: str = Field(max_length=4000)
    done_when: str = Field(max_length=4000)
    deadline: datetime.datetime
    recipient_area_ids: list[int] = Field(default_factory=list, max_length=60)
    recipient_unit_ids: list[int] = Field(default_factory=list, max_length=60)
    check_key: str = Field(default="", max_length=80)
    decision_id: int | None = None


class PassOnIn(InputSchema):
    deadline: datetime.datetime
    recipient_area_ids: list[int] = Field(max_length=60)
    body: str = Field(default="", max_length=4000)


class ProgressIn(InputSchema):
    progress: int = Field(ge=0, le=100)
    text: str = Field(max_length=4000)


class PartCloseIn(InputSchema):
    text: str = Field(default="", max_length=4000)
    use_check: bool = False


class MinutesIn(InputSchema):
    minutes: str = Field(max_length=32000)


class PartNoteIn(InputSchema):
    text: str = Field(default="", max_length=4000)


class DoneCheckOut(Schema):
    key: str
    label: str


class DecisionOut(Schema):
    id: int
    number: int
    text: str
    directive_ids: list[int]


class JointMeetingOut(Schema):
    id: int
    title: str
    held_at: datetime.datetime
    place: str
    agenda: str
    participants: str
    minutes: str
    decisions: list[DecisionOut]


class JointMeetingIn(InputSchema):
    title: str = Field(max_length=200)
    held_at: datetime.datetime
    place: str = Field(default="", max_length=100)
    agenda: str = Field(max_length=8000)
    participants: str = Field(max_length=8000)
    minutes: str = Field(default="", max_length=32000)
    decisions: list[str] = Field(default_factory=list, max_length=30)


class DayIn(InputSchema):
    day: datetime.date


class FigureOut(Schema):
    key: str
    label: str
    value: int | float | str
    unit: str


class BriefingOut(Schema):
    id: int
    number: int
    title: str
    status: str
    day: datetime.date
    narrative: str
    figures: list[FigureOut]
    yesterday: dict[str, int | float | str]
    last_week: dict[str, int | float | str]
    corrects_number: int | None
    correction_note: str
    published_at: datetime.datetime | None


class BriefingIn(InputSchema):
    title: str = Field(max_length=200)
    narrative: str = Field(max_length=8000)


class CorrectionIn(InputSchema):
    correction_note: str = Field(max_length=8000)
