"""The early warning's reads, keyword-only, each taking the user and scoped by ``access``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, AreaKind
from dualtrack.core import platform
from dualtrack.core.errors import NotFound, ValidationFailed
from dualtrack.core.models import User
from dualtrack.prediction.access import Ability, codes_for, require_view, visible_q
from dualtrack.prediction.models import (
    DailyCount,
    EarsScore,
    ProjectionDay,
    RtEstimate,
    Run,
    Signal,
    SignalState,
)
from dualtrack.prediction.services.recompute import check_period

SIGNAL_LIST_LIMIT = 200
STATES = ("open", "acknowledged", "closed", "active", "all")


def series_source(key: str) -> platform.SeriesSource:
    """The registered series named ``key``; an unknown key is a bad request (422)."""
    for source in platform.series_sources():
        if source.key == key:
            return source
    raise ValidationFailed.for_field("series", _("There is no such series."))


def series_label(key: str) -> str:
    for source in platform.series_sources():
        if source.key == key:
            return str(source.label)
    return key


def signal_list_for(*, user: User, state: str = "open") -> QuerySet[Signal]:
    """The signals in the user's sight, newest day first: ``open`` (default), ``acknowledged``,
    ``closed``, ``active`` (not closed) or ``all``."""
    if state not in STATES:
        raise ValidationFailed.for_field(
            "state", _("Choose open, acknowledged, closed, active or all.")
        )
    signals = Signal.objects.filter(visible_q(user)).select_related(
        "area", "acknowledged_by", "closed_by"
    )
    if state == "active":
        signals = signals.exclude(state=SignalState.CLOSED)
    elif state != "all":
        signals = signals.filter(state=state)
    return signals.order_by("-last_day", "-opened_at", "-id")[:SIGNAL_LIST_LIMIT]


def signal_inbox_for(*, user: User) -> QuerySet[Signal]:
    """The open signals the user answers for: the prevention group all, a town officer their
    town's."""
    return (
        Signal.objects.filter(visible_q(user, Ability.ANSWER), state=SignalState.OPEN)
        .select_related("area")
        .order_by("-last_day", "-opened_at", "-id")[:SIGNAL_LIST_LIMIT]
    )


def signal_get_for(*, user: User, signal_id: int) -> Signal:
    signal = (
        Signal.objects.filter(visible_q(user), pk=signal_id)
        .select_related("area", "acknowledged_by", "closed_by")
        .first()
    )
    if signal is None:
        raise NotFound()
    return signal


def area_for(*, user: User, area_id: int) -> Area:
    """An area the user may read the early warning of: a village or community, a town or the
    district; anything else, out of sight or missing, is 404 alike."""
    area = Area.objects.filter(pk=area_id).exclude(kind=AreaKind.GROUP).first()
    if area is None:
        raise NotFound()
    require_view(user, area)
    return area


def may_view_any(user: User) -> bool:
    return bool(codes_for(user))


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


def period_of(
    start: datetime.date | None, end: datetime.date | None, *, default_days: int = 56
) -> Period:
    """A period to read: ``end`` defaults to the newest computed day, ``start`` to eight weeks
    before; backwards or over three years is refused."""
    if end is None:
        newest = Run.objects.filter(finished_at__isnull=False).order_by("-end").first()
        end = newest.end if newest is not None else timezone.localdate()
    if start is None:
        start = end - datetime.timedelta(days=default_days - 1)
    check_period(start, end)
    return Period(start, end)


def scores_for(*, user: User, area: Area, series: str, period: Period) -> list[dict[str, Any]]:
    """The series of ``area`` day by day with its EARS scores and baseline band; days without
    stored scores (no counts at all in the area) come with their count only."""
    require_view(user, area)
    series_source(series)
    rows: dict[datetime.date, dict[str, Any]] = {
        row["day"]: dict(row)
        for row in EarsScore.objects.filter(
            series=series, area=area, day__range=(period.start, period.end)
        ).values()
    }
    counts = dict(
        DailyCount.objects.filter(
            series=series, area=area, day__range=(period.start, period.end)
        ).values_list("day", "count")
    )
    days = []
    day = period.start
    while day <= period.end:
        row = rows.get(day) or {"day": day, "count": counts.get(day, 0)}
        days.append(row)
        day += datetime.timedelta(days=1)
    return days


def rt_for(*, user: User, area: Area, series: str, period: Period) -> QuerySet[RtEstimate]:
    require_view(user, area)
    series_source(series)
    return RtEstimate.objects.filter(
        series=series, area=area, day__range=(period.start, period.end)
    ).order_by("day")


def projection_for(*, user: User, area: Area, series: str) -> QuerySet[ProjectionDay]:
    require_view(user, area)
    series_source(series)
    return ProjectionDay.objects.filter(series=series, area=area).order_by("ahead")


def last_run() -> Run | None:
    """The newest finished recomputation (what the panel's figures date from)."""
    return Run.objects.filter(finished_at__isnull=False).order_by("-finished_at", "-id").first()


def too_few_reason(estimate: RtEstimate) -> str:
    """Why a window's estimate is greyed, in the reader's language; "" when it is not."""
    if not estimate.too_few_cases:
        return ""
    return _(
        "Only %(cases)d cases in the window: at least %(min)d are needed for a coefficient of "
        "variation below 0.3."
    ) % {"cases": estimate.cases, "min": estimate.min_cases}
