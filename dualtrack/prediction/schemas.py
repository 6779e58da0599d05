"""The early warning's API schemas. A score is null before its baseline is complete, and also
where it is infinite (a flat baseline exceeded: its flag is then true)."""

from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field

from dualtrack.core.schemas import InputSchema


class SeriesOut(Schema):
    key: str
    label: str


class SignalOut(Schema):
    id: int
    series: str
    series_label: str
    area_id: int
    area_name: str
    area_code: str
    method: str = Field(description="c1, c2, c3 or rt")
    method_label: str
    first_day: datetime.date
    last_day: datetime.date
    value: float | None = Field(description="the score (null: infinite) or Rt's posterior mean")
    lower: float | None = Field(description="Rt: the 2.5 % quantile")
    upper: float | None = Field(description="Rt: the 97.5 % quantile")
    state: str
    opened_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    acknowledged_by: str | None
    acknowledged_note: str
    closed_at: datetime.datetime | None
    closed_by: str | None
    closed_note: str
    records_url: str | None = Field(description="the page of the records behind the count")


class SignalNoteIn(InputSchema):
    note: str = ""


class SeriesDayOut(Schema):
    day: datetime.date
    count: int
    c1: float | None = None
    c2: float | None = None
    c3: float | None = None
    c1_flag: bool = False
    c2_flag: bool = False
    c3_flag: bool = False
    c1_mean: float | None = None
    c1_sd: float | None = None
    c1_upper: float | None = None
    c2_mean: float | None = None
    c2_sd: float | None = None
    c2_upper: float | None = None


class RtOut(Schema):
    day: datetime.date = Field(description="the window's last day (7-day windows)")
    mean: float
    sd: float
    median: float
    lower: float
    upper: float
    cases: int
    too_few_cases: bool
    reason: str = Field(description="why the estimate is to be shown greyed, if it is")


class ProjectedDayOut(Schema):
    day: datetime.date
    ahead: int
    median: float
    lower_50: float
    upper_50: float
    lower_95: float
    upper_95: float


class ProjectionOut(Schema):
    made_on: datetime.date | None
    assumption: str
    days: list[ProjectedDayOut]


class RecomputeIn(InputSchema):
    end: datetime.date | None = None
    start: datetime.date | None = None
    from_day: datetime.date | None = None
    si_mean: float | None = Field(default=None, description="days; more than 1")
    si_sd: float | None = Field(default=None, description="days; more than 0")
