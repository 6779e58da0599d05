"""Schemas of the transport and ticket routes. ID numbers and mobiles leave only masked."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from dualtrack.core.schemas import Id, InputSchema
from dualtrack.jobs.models import Rider, TripMode, TripStatus


class TripOut(Schema):
    id: int
    mode: TripMode
    origin: str
    origin_code: str
    date: datetime.date
    capacity: int
    riders_count: int
    cost: Decimal
    checkpoint_id: int
    status: TripStatus
    arrived_at: datetime.datetime | None
    enterprise_ids: list[int]

    @staticmethod
    def resolve_enterprise_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return sorted(e.pk for e in obj.enterprises.all())


class TripIn(InputSchema):
    mode: TripMode
    origin: str = Field(max_length=100)
    origin_code: str = Field(max_length=6, description="GB/T 2260, six digits")
    date: datetime.date
    capacity: int = Field(ge=1, le=2000)
    cost: Decimal = Field(ge=0, max_digits=12, decimal_places=2, description="yuan")
    checkpoint_id: Id
    enterprise_ids: list[Id] = Field(min_length=1, max_length=200)


class RiderOut(Schema):
    id: int
    trip_id: int
    enterprise_id: int
    name: str
    id_number_masked: str
    mobile_masked: str
    temperature: Decimal
    symptoms: str
    risk_stay_code: str
    risk_stay_on: datetime.date | None
    boarded_at: datetime.datetime | None
    arrived_at: datetime.datetime | None
    employee_id: int | None


class TripDetailOut(TripOut):
    riders: list[RiderOut] = Field(description="the riders in sight: an enterprise its own")

    @staticmethod
    def resolve_riders(obj) -> list[Rider]:  # type: ignore[no-untyped-def]
        return list(obj.riders_in_sight)


class RiderIn(InputSchema):
    enterprise_id: Id | None = Field(
        default=None, description="the enterprise login's own; omitted: its own"
    )
    name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    mobile: str = Field(max_length=20)
    temperature: Decimal = Field(
        max_digits=4, decimal_places=1, description="°C, as declared (the register's range)"
    )
    symptoms: str = Field(default="", max_length=200)
    risk_stay_code: str = Field(default="", max_length=6)
    risk_stay_on: datetime.date | None = None


class TicketOut(Schema):
    id: int
    enterprise_id: int
    employee_id: int
    route: str
    travel_date: datetime.date
    fare: Decimal
    content_type: str
    confirmed_at: datetime.datetime | None
