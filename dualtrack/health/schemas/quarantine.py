"""Schemas of the quarantine API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from dualtrack.core.schemas import Id, InputSchema


class SiteOut(Schema):
    id: int
    name: str
    area_id: int
    area_name: str
    address: str
    rooms: int
    capacity: int
    occupied: int
    phone: str
    is_open: bool
    staff_ids: list[int] = Field(description="Users on the site's staff.")


class SiteIn(InputSchema):
    area_id: Id
    name: str
    rooms: int = Field(ge=1, le=5000)
    capacity: int = Field(ge=1, le=5000)
    address: str = ""
    phone: str = ""
    staff_ids: list[Id] = []


class SiteUpdateIn(InputSchema):
    name: str
    rooms: int = Field(ge=1, le=5000)
    capacity: int = Field(ge=1, le=5000, description="Never below the people there now.")
    address: str = ""
    phone: str = ""
    is_open: bool = True


class SiteStaffIn(InputSchema):
    staff_ids: list[Id]


class OccupancyOut(Schema):
    day: datetime.date
    occupied: int
    capacity: int


class SlotOut(Schema):
    day: datetime.date
    period: str


class OrderOut(Schema):
    id: int
    kind: str
    site_id: int | None
    site_name: str
    room: str
    area_id: int
    area_name: str
    person_kind: str
    resident_id: int | None
    employee_id: int | None
    name: str
    id_number_masked: str
    phone_masked: str
    id_number: str | None = Field(description="Only with unmasked=true, for roles allowed.")
    phone: str | None
    address: str
    reason: str
    source: str
    last_exposure: datetime.date
    starts_on: datetime.date
    ends_on: datetime.date
    status: str
    closed_at: datetime.datetime | None
    notice_number: str


class OrderDetailOut(OrderOut):
    missed: list[SlotOut] = Field(description="Slots of the period missed so far.")
    check_url: str | None = Field(
        description="The person's own check-in link (for those who manage the order)."
    )
    link_revoked: bool


class OrderIn(InputSchema):
    kind: Literal["home", "site"]
    person_kind: Literal["resident", "worker", "visitor"]
    resident_id: Id | None = None
    employee_id: Id | None = None
    area_id: Id | None = Field(
        default=None,
        description="The village answerable: a resident's own unless given; required else.",
    )
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    reason: str
    source: Literal["screening", "checkpoint", "roster", "contact", "other"]
    last_exposure: datetime.date
    site_id: Id | None = None
    room: str = ""
    alert_id: Id | None = Field(default=None, description="The health alert the order answers.")


class MoveIn(InputSchema):
    kind: Literal["home", "site"]
    site_id: Id | None = None
    room: str = ""
    reason: str


class ExtendIn(InputSchema):
    ends_on: datetime.date
    reason: str


class ReasonIn(InputSchema):
    reason: str


class HospitalIn(InputSchema):
    hospital: str
    reason: str


class LinkIn(InputSchema):
    reason: str
    renew: bool = Field(default=False, description="Issue a new link in place of the old one.")


class CheckIn(InputSchema):
    day: datetime.date
    period: Literal["am", "pm"]
    temperature: Decimal = Field(max_digits=4, decimal_places=1)
    symptoms: str = ""


class SelfCheckIn(InputSchema):
    temperature: Decimal = Field(max_digits=4, decimal_places=1)
    symptoms: str = ""


class CheckOut(Schema):
    id: int
    order_id: int
    day: datetime.date
    period: str
    temperature: Decimal
    symptoms: str
    is_fever: bool
    checked_at: datetime.datetime
    self_reported: bool
    recorded_by_id: int | None


class SelfCheckOut(Schema):
    day: datetime.date
    period: str
    is_fever: bool
    detail: str


class ChangeOut(Schema):
    id: int
    kind: str
    reason: str
    detail: str
    changed_by_id: int | None
    changed_at: datetime.datetime


class OrderExportIn(InputSchema):
    status: Literal["", "active", "released", "hospital", "ended_early"] = ""
    kind: Literal["", "home", "site"] = ""
    site_id: Id | None = None
    area_id: Id | None = None
