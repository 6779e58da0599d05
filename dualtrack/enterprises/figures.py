"""The resumption figures: enterprises filed, approved and resumed, workers on duty against the
normal workforce, rates by town, industry and scale, and day by day from the 24:00 snapshots.

Today's figures are one GROUP BY over the registry (so that a page shows each change at once);
the history reads the frozen snapshot rows.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, FilteredRelation, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dualtrack.areas.models import Area, IndustrySector
from dualtrack.areas.scoping import scope_for
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.platform import Figure
from dualtrack.enterprises import access
from dualtrack.enterprises.models import (
    DailySnapshot,
    Enterprise,
    ResumptionStatus,
    SizeClass,
)

MEASURES = (
    "enterprises",
    "filed",
    "approved",
    "resumed",
    "normal_workforce",
    "workers_on_duty",
    "reports",
)
SERIES_DAYS = 31


def _day_end(day: datetime.date) -> datetime.datetime:
    next_day = day + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time()))


def snapshot_cells(
    qs: QuerySet[Enterprise], *, as_of: datetime.date, report_date: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Figures per town × industry section × size class × above-scale flag, as at 24:00 of
    ``as_of``; workers on duty are those reported for 24:00 of ``report_date`` (``as_of``)."""
    end = _day_end(as_of)
    day = report_date or as_of
    # One scan of the registry, joined to that day's reports (one row per enterprise and day):
    # when each enterprise first filed and was first approved is kept on its row.
    rows: Any = (
        qs.order_by()
        .annotate(report=FilteredRelation("daily_reports", condition=Q(daily_reports__date=day)))
        .values("area_id", "sector_id", "size_class", "above_scale")
        .annotate(
            enterprises=Count("id"),
            filed=Count("id", filter=Q(first_filed_at__lt=end)),
            approved=Count("id", filter=Q(first_approved_at__lt=end)),
            resumed=Count("id", filter=Q(status=ResumptionStatus.RESUMED, resumed_on__lte=as_of)),
            normal_workforce=Sum("normal_workforce"),
            workers_on_duty=Sum("report__workers_on_duty"),
            reports=Count("report__id"),
        )
    )
    sector_codes = dict(IndustrySector.objects.values_list("id", "code"))
    return [
        {
            "town_id": row["area_id"],
            "sector_code": sector_codes.get(row["sector_id"], ""),
            "size_class": row["size_class"],
            "above_scale": row["above_scale"],
            **{m: row[m] or 0 for m in MEASURES},
        }
        for row in rows
    ]


@dataclass
class Tally:
    key: str
    label: str
    enterprises: int = 0
    filed: int = 0
    approved: int = 0
    resumed: int = 0
    normal_workforce: int = 0
    workers_on_duty: int = 0
    reports: int = 0
    pk: int | None = None

    def add(self, cell: dict[str, Any]) -> None:
        for measure in MEASURES:
            setattr(self, measure, getattr(self, measure) + cell[measure])

    @property
    def resumption_rate(self) -> float:
        return round(100 * self.resumed / self.enterprises, 1) if self.enterprises else 0.0

    @property
    def workforce_rate(self) -> float:
        if not self.normal_workforce:
            return 0.0
        return round(100 * self.workers_on_duty / self.normal_workforce, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            **{m: getattr(self, m) for m in MEASURES},
            "resumption_rate": self.resumption_rate,
            "workforce_rate": self.workforce_rate,
        }


@dataclass
class Figures:
    as_of: datetime.date
    report_date: datetime.date
    town: Area | None
    total: Tally
    above_scale: Tally
    by_town: list[Tally]
    by_sector: list[Tally]
    by_size: list[Tally]
    series: list[dict[str, Any]] = field(default_factory=list)


def report_day() -> datetime.date:
    """The latest day whose 24:00 figure is due: yesterday."""
    return timezone.localdate() - datetime.timedelta(days=1)


def figures_for(
    *, user: User, town_id: int | None = None, towns: list[Area] | None = None
) -> Figures:
    """The figures of the user's scope (or one town of it): today's, and day by day. ``towns``:
    the user's ``access.towns_visible``, when the caller has read them already."""
    towns = access.towns_visible(user) if towns is None else towns
    if town_id is not None:
        towns = [t for t in towns if t.pk == town_id]
        if not towns:
            raise NotFound()
    town_ids = [t.pk for t in towns]
    today = timezone.localdate()
    report_date = today - datetime.timedelta(days=1)
    # Today's rows are the working copy that every write keeps up to date (services.working_copy);
    # the 24:00 freeze makes them final. Before the day's copy exists, count the registry.
    cells: list[dict[str, Any]] = list(
        DailySnapshot.objects.filter(date=today, town_id__in=town_ids).values(
            "town_id", "sector_code", "size_class", "above_scale", *MEASURES
        )
    )
    if not cells:
        # No working copy yet (or nothing registered in these towns, which counts quickly):
        # count the registry. Today's 24:00 is not reported yet, so workers on duty are those
        # of yesterday's 24:00.
        qs = Enterprise.objects.filter(area_id__in=town_ids)
        cells = snapshot_cells(qs, as_of=today, report_date=report_date)
    return _tally(cells, towns, today, report_date, town_id=town_id)


CellKey = tuple[int, str, str, bool]


def cell_key(enterprise: Enterprise) -> CellKey:
    """The snapshot cell an enterprise counts in: town, section, size class, above-scale."""
    sector = ""
    if enterprise.sector_id:
        codes = _sector_codes()
        if enterprise.sector_id not in codes:  # reloaded reference data: read it again
            _sector_codes.cache_clear()
            codes = _sector_codes()
        sector = codes.get(enterprise.sector_id, "")
    return (enterprise.area_id, sector, enterprise.size_class, enterprise.above_scale)


@functools.cache
def _sector_names() -> dict[str, str]:
    return dict(IndustrySector.objects.values_list("code", "name"))


@functools.cache
def _sector_codes() -> dict[int, str]:
    # The 20 GB/T 4754 sections are fixed data (a migration), read once per process.
    return dict(IndustrySector.objects.values_list("id", "code"))


def _tally(
    cells: list[dict[str, Any]],
    towns: list[Area],
    today: datetime.date,
    report_date: datetime.date,
    *,
    town_id: int | None,
) -> Figures:
    from django.utils.translation import gettext as _

    total = Tally("all", _("All"))
    above = Tally("above_scale", _("Above-scale industrial"))
    by_town = {t.pk: Tally(t.code, t.name, pk=t.pk) for t in towns}
    sectors = _sector_names()
    by_sector: dict[str, Tally] = {}
    by_size = {v: Tally(v, str(label)) for v, label in SizeClass.choices}
    for cell in cells:
        total.add(cell)
        if cell["above_scale"]:
            above.add(cell)
        by_town[cell["town_id"]].add(cell)
        code = cell["sector_code"]
        if code not in by_sector:
            by_sector[code] = Tally(code or "-", sectors.get(code) or _("Not classified"))
        by_sector[code].add(cell)
        by_size[cell["size_class"]].add(cell)
    series = _series([t.pk for t in towns])
    return Figures(
        as_of=today,
        report_date=report_date,
        town=towns[0] if town_id is not None else None,
        total=total,
        above_scale=above,
        by_town=list(by_town.values()),
        by_sector=sorted(by_sector.values(), key=lambda t: t.key),
        by_size=list(by_size.values()),
        series=series,
    )


def _series(town_ids: list[int]) -> list[dict[str, Any]]:
    rows: Any = (
        DailySnapshot.objects.filter(town_id__in=town_ids, date__lt=timezone.localdate())
        .values("date")
        .annotate(**{m: Sum(m) for m in MEASURES})
        .order_by("-date")[:SERIES_DAYS]
    )
    result = []
    for row in reversed(list(rows)):
        enterprises = row["enterprises"] or 0
        result.append(
            {
                "date": row["date"].isoformat(),
                **{m: row[m] or 0 for m in MEASURES},
                "resumption_rate": round(100 * row["resumed"] / enterprises, 1)
                if enterprises
                else 0.0,
            }
        )
    return result


def figures_chart_data(figures: Figures) -> dict[str, Any]:
    """What the page's charts draw (through json_script)."""
    return {
        "towns": [t.as_dict() | {"id": t.pk} for t in figures.by_town],
        "sectors": [t.as_dict() for t in figures.by_sector],
        "sizes": [t.as_dict() for t in figures.by_size],
        "series": figures.series,
    }


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """The enterprises resumed and the workers on duty in the user's towns: today's, or a past
    day's from its 24:00 snapshot (none for a day without one)."""
    if not scope_for(user).codes():
        return []
    figures = figures_for(user=user)
    if day == timezone.localdate():
        resumed, on_duty = figures.total.resumed, figures.total.workers_on_duty
    else:
        row = next((r for r in figures.series if r["date"] == day.isoformat()), None)
        if row is None:
            return []
        resumed, on_duty = row["resumed"], row["workers_on_duty"]
    link = reverse("enterprise_figures")
    return [
        Figure(
            key="enterprises.resumed",
            label=gettext("Enterprises resumed"),
            value=resumed,
            link=link,
        ),
        Figure(
            key="enterprises.workers_on_duty",
            label=gettext("Workers on duty"),
            value=on_duty,
            link=link,
        ),
    ]
