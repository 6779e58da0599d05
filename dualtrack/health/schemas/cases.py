"""Schemas of the line list and contact searches."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from dualtrack.core.schemas import InputSchema


class CaseIn(InputSchema):
    classification: str = Field(
        description="suspected, confirmed, asymptomatic, ruled_out, recovered or died"
    )
    report_date: datetime.date
    origin: str = Field(description="imported or local")
    is_resident: bool = Field(
        False,
        description="A resident of the district: found in the caller's sight by id_number; "
        "their name, numbers and area are copied.",
    )
    id_number: str = ""
    name: str = ""
    gender: str = ""
    age: int | None = None
    phone: str = ""
    area_id: int | None = Field(None, description="Answerable area (not for a resident).")
    onset_date: datetime.date | None = None
    sampling_date: datetime.date | None = None
    isolation_date: datetime.date | None = None
    exposure_region_code: str = Field("", description="GB/T 2260 code, for an imported case.")
    quarantine_order_id: int | None = None
    infected_by_id: int | None = Field(None, description="The case this one is a contact of.")
    note: str = ""
    reason: str = Field("", description="Why the classification changes (on an edit).")


class ReclassifyIn(InputSchema):
    classification: str
    reason: str


class ClassificationChangeOut(Schema):
    classification: str
    previous: str
    reason: str
    changed_by: str
    changed_at: datetime.datetime


class CaseOut(Schema):
    id: int
    number: str
    classification: str
    area_id: int
    area_name: str
    is_resident: bool
    name: str
    gender: str
    age: int
    id_number_masked: str
    phone_masked: str
    id_number: str | None = Field(None, description="Only with unmasked=true (audited).")
    phone: str | None = None
    onset_date: datetime.date | None
    sampling_date: datetime.date | None
    report_date: datetime.date
    isolation_date: datetime.date | None
    origin: str
    exposure_region_code: str
    exposure_region_name: str
    quarantine_order_id: int | None
    infected_by_id: int | None
    note: str


class CaseDetailOut(CaseOut):
    history: list[ClassificationChangeOut]


class AreaCountOut(Schema):
    code: str
    name: str
    new: int
    confirmed: int
    active: int


class CurveOut(Schema):
    days: list[str]
    onset: list[int]
    report: list[int]


class CaseFiguresOut(Schema):
    day: datetime.date
    by_area: list[AreaCountOut]
    curve: CurveOut


class SearchIn(InputSchema):
    reason: str = Field(description="Why the search is run: recorded with who ran it.")
    tolerance_minutes: int | None = Field(None, description="Δ; the setting's 15 by default.")
    days_before: int | None = Field(None, description="Days before onset; 2 by default.")
    contact_id: int | None = Field(
        None, description="Search for this contact's own contacts (contacts of contacts)."
    )


class SearchOut(Schema):
    id: int
    case_id: int
    anchor_contact_id: int | None
    reason: str
    window_from: datetime.datetime
    window_to: datetime.datetime
    tolerance_minutes: int
    case_passages: int
    found: int
    run_by: str
    run_at: datetime.datetime


class ContactOut(Schema):
    id: int
    case_id: int
    case_number: str
    via_id: int | None
    area_id: int
    area_name: str
    name: str
    id_number_masked: str
    phone_masked: str
    id_number: str | None = Field(None, description="Only with unmasked=true (audited).")
    phone: str | None = None
    coincidences: int
    closest_seconds: int
    score: float = Field(
        description="Σ over the anchor's passages coincided with of 1 − s/(Δ+60 s), s the "
        "closest gap in seconds."
    )
    last_coincidence_at: datetime.datetime
    last_checkpoint_name: str
    status: str
    quarantine_order_id: int | None


class ContactStatusIn(InputSchema):
    status: str = Field(description="close, possible or ruled_out")


class ContactQuarantineIn(InputSchema):
    kind: str = Field("home", description="home or site")
    site_id: int | None = None
    id_number: str = Field("", description="When the register has none for this person.")
    reason: str = ""


class LineListExportIn(InputSchema):
    since: datetime.date
    until: datetime.date
