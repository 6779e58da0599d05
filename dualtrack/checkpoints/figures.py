"""The checkpoints' figures: people in and out, fevers, risk arrivals and alerts, per shift, per
day and over days, for a checkpoint, an area or everything the user sees. Read from the rollups
by hand (see core.sql), under the SQL condition of the access rule."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dualtrack.areas.models import VILLAGE_KINDS, Area, AreaKind
from dualtrack.areas.scoping import scope_for
from dualtrack.areas.selectors import area_ancestors, area_options_for
from dualtrack.checkpoints.access import (
    Ability,
    checkpoints_sql,
    require_checkpoint,
    visible_checkpoints_q,
)
from dualtrack.checkpoints.models import (
    Alert,
    Checkpoint,
    DailyFigure,
    FigureCounters,
    Shift,
    ShiftFigure,
)
from dualtrack.checkpoints.selectors.checkpoints import checkpoint_list_for
from dualtrack.checkpoints.selectors.register import day_bounds
from dualtrack.core import sql
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.platform import Figure


@dataclass(frozen=True)
class Counts:
    people_in: int = 0
    people_out: int = 0
    fevers: int = 0
    risk_arrivals: int = 0
    alerts_raised: int = 0
    alerts_handled: int = 0

    @property
    def alerts_open(self) -> int:
        return self.alerts_raised - self.alerts_handled

    @classmethod
    def of(cls, row: FigureCounters | dict[str, Any] | None) -> Counts:
        if row is None:
            return cls()
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        return cls(**{name: get(name) or 0 for name in FigureCounters.COUNTERS})


def shift_summary(*, shift: Shift) -> Counts:
    """People in and out, fevers and alerts of a shift (kept current as rows arrive)."""
    return Counts.of(ShiftFigure.objects.filter(shift=shift).first())


@dataclass(frozen=True)
class Figures:
    people_in: int
    people_out: int
    fevers: int
    risk_arrivals: int
    alerts_raised: int
    alerts_open: int  # open at the end of the day (today: now), whenever raised
    alerts_handled: int
    median_minutes_to_handle: float | None


@dataclass(frozen=True)
class DayFigure:
    day: datetime.date
    people_in: int
    people_out: int
    fevers: int
    risk_arrivals: int
    alerts_raised: int
    alerts_handled: int

    @property
    def alerts_open(self) -> int:
        return self.alerts_raised - self.alerts_handled


_FIGURES = DailyFigure._meta.db_table
_SUMS = ", ".join(f"COALESCE(SUM({name}), 0)" for name in FigureCounters.COUNTERS)
_CHECKPOINTS_IN = (
    f"SELECT c.id FROM {Checkpoint._meta.db_table} c "  # noqa: S608
    f"JOIN {Area._meta.db_table} a ON a.id = c.area_id WHERE "
)


def _figure_checkpoints(
    user: User, checkpoint: Checkpoint | None, area: Area | None
) -> tuple[str, list[Any]]:
    """A condition on ``checkpoint_id`` selecting the checkpoints the figures cover, with its
    parameters: the checkpoints the user sees (under ``area``), in the SQL condition of
    ``access.checkpoints_sql``, read on every dashboard refresh (see core.sql)."""
    if checkpoint is not None:
        require_checkpoint(user, checkpoint, Ability.SEE)
        return "checkpoint_id = %s", [checkpoint.pk]
    if area is not None and not scope_for(user).covers(area):
        visible = Checkpoint.objects.filter(visible_checkpoints_q(user))
        if not visible.filter(area__code__startswith=area.code).exists():
            raise NotFound()
    where, params = checkpoints_sql(user, Ability.SEE, code="a.code", pk="c.id")
    if where == "1 = 1":  # district-wide
        if area is None:
            return where, params  # every checkpoint
        where = ""
    if area is not None:
        where = f"{where} AND " if where else ""
        where += "a.code LIKE %s ESCAPE '\\'"
        params.append(str(connection.ops.prep_for_like_query(area.code)) + "%")
    return f"checkpoint_id IN ({_CHECKPOINTS_IN}{where})", params


def figures_for(
    *,
    user: User,
    checkpoint: Checkpoint | None = None,
    area: Area | None = None,
    day: datetime.date | None = None,
) -> Figures:
    """One day's figures (today by default) for a checkpoint, an area (town, village) or all the
    user can see, from the daily rollups; the median time to handle from that day's alerts."""
    day = day or timezone.localdate()
    where, params = _figure_checkpoints(user, checkpoint, area)
    row = sql.fetch_one(
        f"SELECT {_SUMS} FROM {_FIGURES} WHERE day = %s AND {where}",  # noqa: S608
        [day, *params],
        reads=Alert,  # the figures are read on the replica in a read-only request
    )
    counts = _counts(row)
    start, end = day_bounds(day)
    # Open at the end of the day (today: open now), whenever raised: the day's rollup knows only
    # the alerts raised that day, and said 2 open while 5 waited from earlier days.
    (alerts_open,) = sql.fetch_one(
        f"SELECT COUNT(*) FROM {Alert._meta.db_table} WHERE raised_at < %s "  # noqa: S608
        f"AND (handled_at IS NULL OR handled_at >= %s) AND {where}",
        [
            connection.ops.adapt_datetimefield_value(end),
            connection.ops.adapt_datetimefield_value(end),
            *params,
        ],
        reads=Alert,
    ) or (0,)
    minutes: list[float] = []
    if counts.alerts_handled:
        handled = sql.fetch_all(
            f"SELECT raised_at, handled_at FROM {Alert._meta.db_table} "  # noqa: S608
            f"WHERE raised_at >= %s AND raised_at < %s AND handled_at IS NOT NULL AND {where}",
            [
                connection.ops.adapt_datetimefield_value(start),
                connection.ops.adapt_datetimefield_value(end),
                *params,
            ],
            reads=Alert,
        )
        minutes = [(sql.aware(h) - sql.aware(r)).total_seconds() / 60 for r, h in handled]  # type: ignore[operator]
    return Figures(
        people_in=counts.people_in,
        people_out=counts.people_out,
        fevers=counts.fevers,
        risk_arrivals=counts.risk_arrivals,
        alerts_raised=counts.alerts_raised,
        alerts_open=alerts_open,
        alerts_handled=counts.alerts_handled,
        median_minutes_to_handle=round(statistics.median(minutes), 1) if minutes else None,
    )


def figures_by_day(
    *,
    user: User,
    checkpoint: Checkpoint | None = None,
    area: Area | None = None,
    days: int = 14,
    until: datetime.date | None = None,
) -> list[DayFigure]:
    """The last ``days`` local days' figures, oldest first, a row for every day."""
    days = max(1, min(days, 366))
    until = until or timezone.localdate()
    since = until - datetime.timedelta(days=days - 1)
    where, params = _figure_checkpoints(user, checkpoint, area)
    rows = {
        day: _counts(sums)
        for day, *sums in sql.fetch_all(
            f"SELECT day, {_SUMS} FROM {_FIGURES} "  # noqa: S608
            f"WHERE day >= %s AND day <= %s AND {where} GROUP BY day",
            [since, until, *params],
            reads=Alert,
        )
    }
    result = []
    for n in range(days):
        day = since + datetime.timedelta(days=n)
        counts = rows.get(day) or Counts()
        result.append(
            DayFigure(
                day=day,
                people_in=counts.people_in,
                people_out=counts.people_out,
                fevers=counts.fevers,
                risk_arrivals=counts.risk_arrivals,
                alerts_raised=counts.alerts_raised,
                alerts_handled=counts.alerts_handled,
            )
        )
    return result


def _counts(sums: Iterable[Any] | None) -> Counts:
    """Counts from a row of ``_SUMS``."""
    return Counts.of(dict(zip(FigureCounters.COUNTERS, sums, strict=True)) if sums else None)


def figures_children_for(
    *,
    user: User,
    checkpoint: Checkpoint | None,
    area: Area | None,
    day: datetime.date,
    limit: int,
) -> list[tuple[str, str, Figures]]:
    """The drill-down below the figures shown: each town (for the district), else each
    checkpoint (of a town or village): its label, its query and its figures of ``day``."""
    children: list[tuple[str, str, Figures]] = []
    if checkpoint is not None:
        return children
    if area is None or area.kind == AreaKind.DISTRICT:
        for town in area_options_for(user=user).filter(kind=AreaKind.TOWN)[:limit]:
            children.append(
                (town.name, f"?area={town.pk}", figures_for(user=user, area=town, day=day))
            )
    if not children:
        town_id = area.pk if area is not None and area.kind == AreaKind.TOWN else None
        village_id = area.pk if area is not None and area.kind in VILLAGE_KINDS else None
        for child in checkpoint_list_for(user=user, town_id=town_id, area_id=village_id)[:limit]:
            children.append(
                (
                    f"{child.area.name} · {child.name}",
                    f"?checkpoint={child.pk}",
                    figures_for(user=user, checkpoint=child, day=day),
                )
            )
    return children


def figures_towns_above(
    *, user: User, checkpoint: Checkpoint | None, area: Area | None
) -> list[tuple[str, str]]:
    """The town above the figures shown, when the user's scope reaches it (a village's staff
    would get a 404): its name and query."""
    below = checkpoint.area if checkpoint is not None else area
    if below is None or below.kind == AreaKind.DISTRICT:
        return []
    scope = scope_for(user)
    ancestors = area_ancestors(below) + ([below] if checkpoint is not None else [])
    return [
        (ancestor.name, f"?area={ancestor.pk}")
        for ancestor in ancestors
        if ancestor.kind == AreaKind.TOWN and scope.covers(ancestor)
    ]


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """The day's passages, fevers and alerts open at its end, at the gates the user sees."""
    if not scope_for(user).codes():
        return []
    figures = figures_for(user=user, day=day)
    link = reverse("checkpoint_figures")
    return [
        Figure(
            key="checkpoints.passages",
            label=gettext("Passages"),
            value=figures.people_in + figures.people_out,
            link=link,
        ),
        Figure(key="checkpoints.fevers", label=gettext("Fevers"), value=figures.fevers, link=link),
        Figure(
            key="checkpoints.alerts_open",
            label=gettext("Open alerts"),
            value=figures.alerts_open,
            link=reverse("alert_list"),
        ),
    ]
