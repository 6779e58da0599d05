"""Schemas of the government services' routes. Mobiles leave only masked."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from dualtrack.core.schemas import Id, InputSchema
from dualtrack.services.models import BookingStatus, Channel, ServiceRequestStatus


class MatterOut(Schema):
    id: int
    name: str
    department: str = Field(alias="department.name")
    documents: list[str]
    channels: list[Channel]
    time_limit_days: int


class ServiceEventOut(Schema):
    status: ServiceRequestStatus
    at: datetime.datetime
    note: str


class ServiceRequestOut(Schema):
    id: int
    tracking_no: str | None
    matter_id: int
    matter: str = Field(alias="matter.name")
    channel: Channel
    enterprise_id: int | None
    applicant_name: str
    mobile_masked: str
    status: ServiceRequestStatus
    filed_at: datetime.datetime
    accepted_at: datetime.datetime | None
    clock_starts_on: datetime.date | None
    due_on: datetime.date | None = Field(
        description="Moved on by the working days paused; while paused (`paused_on` set) the "
        "limit does not run"
    )
    paused_on: datetime.date | None = Field(
        description="The day the time limit paused while more documents are awaited"
    )
    paused_days: int = Field(description="Working days the time limit was paused, all pauses")
    closed_at: datetime.datetime | None
    refusal_reason: str
    postal_tracking_no: str
    documents_received: list[str]
    rating: int | None


class RequestDetailOut(ServiceRequestOut):
    history: list[ServiceEventOut]


class RequestPageOut(Schema):
    items: list[ServiceRequestOut]
    next_after: int | None


class FiledOut(Schema):
    """A request just filed, with its personal link (shown once: keep it)."""

    request: ServiceRequestOut
    link: str


class PhoneIn(InputSchema):
    matter_id: Id
    applicant_name: str = Field(max_length=100)
    mobile: str = Field(max_length=20)
    documents: list[str] = Field(default_factory=list, max_length=50)


class PostIn(InputSchema):
    matter_id: Id
    applicant_name: str = Field(max_length=100)
    mobile: str = Field(max_length=20)


class PostReceivedIn(InputSchema):
    postal_tracking_no: str = Field(max_length=40)
    documents: list[str] = Field(default_factory=list, max_length=50)


class AdvanceIn(InputSchema):
    status: ServiceRequestStatus
    note: str = Field(default="", max_length=300)


class RatingIn(InputSchema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=300)


class HolidayIn(InputSchema):
    day: datetime.date
    name: str = Field(max_length=50)
    workday: bool = False


class HolidayOut(Schema):
    id: int
    day: datetime.date
    name: str
    workday: bool


class CounterOut(Schema):
    id: int
    name: str
    department: str = Field(alias="department.name")
    place: str


class ServiceSlotOut(Schema):
    id: int
    counter_id: int
    day: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    capacity: int
    booked: int


class SlotIn(InputSchema):
    day: datetime.date
    starts_at: str = Field(max_length=8, description="HH:MM")
    ends_at: str = Field(max_length=8, description="HH:MM")
    capacity: int = Field(ge=1, le=500)


class BookingIn(InputSchema):
    slot_id: Id
    name: str = Field(max_length=100)
    mobile: str = Field(max_length=20)
    matter_id: Id | None = None


class BookingOut(Schema):
    id: int
    slot: ServiceSlotOut
    matter_id: int | None
    name: str
    mobile_masked: str
    status: BookingStatus


class BookedOut(Schema):
    booking: BookingOut
    link: str


class RescheduleIn(InputSchema):
    slot_id: Id


class QueueEntryOut(Schema):
    number: int
    booking: BookingOut


class ServiceTallyOut(Schema):
    id: int
    label: str
    by_channel: dict[str, int]
    total: int
    done: int
    overdue: int
    mean_days_to_finish: Decimal | None
    rating: Decimal | None
    ratings: int


class ServiceFiguresOut(Schema):
    by_matter: list[ServiceTallyOut]
    by_department: list[ServiceTallyOut]
