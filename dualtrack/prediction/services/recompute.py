"""The recomputation: every registered series read, summed up the tree, scored, stored, and the
signals opened — after the 24:00 snapshot (``manage.py recompute_signals``) and on demand (a job).

A full run covers ``start … end``. A day's update names the same ``start`` and a ``from_day``
near ``end``: the villages' counts before ``from_day`` are read back from the stored counts, the
days from it from the apps, and only the results from ``from_day`` on are rewritten — equal, day
for day, to a full run (the tests hold them equal).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import VILLAGE_KINDS, Area, AreaKind
from dualtrack.core import platform
from dualtrack.core.audit import audit_record
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.jobs import Progress, job_start, no_progress
from dualtrack.core.models import AuditAction, Job, User
from dualtrack.prediction import conf
from dualtrack.prediction.access import require_recompute
from dualtrack.prediction.models import DailyCount, Run
from dualtrack.prediction.services.results import (
    Floats,
    Levels,
    flags_of,
    store_counts,
    store_ears,
    store_projection,
    store_rt,
)
from dualtrack.prediction.services.signals import signals_update

RECOMPUTE_JOB = "prediction.recompute"
_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Tree:
    """The district's villages, towns and root, as rows of a series' matrix."""

    village_row: dict[str, int]  # village code → row
    village_town: list[int]  # village row → its town's row among the towns
    levels: Levels
    villages: int
    towns: int

    @classmethod
    def load(cls) -> Tree:
        rows = list(
            Area.objects.filter(
                kind__in=(AreaKind.DISTRICT, AreaKind.TOWN, *VILLAGE_KINDS)
            ).values_list("id", "code", "kind")
        )
        villages = [(i, c) for i, c, k in rows if k in VILLAGE_KINDS]
        towns = [(i, c) for i, c, k in rows if k == AreaKind.TOWN]
        roots = [i for i, _c, k in rows if k == AreaKind.DISTRICT]
        town_row = {c: n for n, (_i, c) in enumerate(towns)}
        # A village whose town is gone cannot occur (areas are PROTECTed); keep it out if so.
        kept = [(i, c) for i, c in villages if _town_code(c) in town_row]
        ids = [i for i, _c in kept] + [i for i, _c in towns] + roots[:1]
        flags = np.zeros(len(ids), dtype=np.bool_)
        flags[len(kept) :] = True
        return cls(
            village_row={c: n for n, (_i, c) in enumerate(kept)},
            village_town=[town_row[_town_code(c)] for _i, c in kept],
            levels=Levels(area_ids=ids, is_town_or_district=flags),
            villages=len(kept),
            towns=len(towns),
        )

    def all_levels(self, villages: Floats) -> Floats:
        """The villages' rows, then the towns' (sums of their villages), then the district's."""
        towns = np.zeros((self.towns, villages.shape[1]))
        if self.villages:
            np.add.at(towns, np.asarray(self.village_town), villages)
        district = villages.sum(axis=0, keepdims=True)
        parts = [villages, towns]
        if len(self.levels.area_ids) > self.villages + self.towns:
            parts.append(district)
        return np.vstack(parts)


def _town_code(village_code: str) -> str:
    from dualtrack.areas.scoping import TOWN_CODE_LENGTH

    return village_code[:TOWN_CODE_LENGTH]


def check_period(start: datetime.date, end: datetime.date) -> None:
    """Refuse a period that runs backwards or is longer than three years."""
    if start > end:
        raise ValidationFailed.for_field("start", _("The start must not be after the end."))
    if (end - start).days + 1 > conf.MAX_RANGE_DAYS:
        raise ValidationFailed.for_field("start", _("The period may be three years at most."))


def _village_counts(
    source: platform.SeriesSource,
    tree: Tree,
    start: datetime.date,
    end: datetime.date,
    from_day: datetime.date,
) -> Floats:
    days = (end - start).days + 1
    counts = np.zeros((tree.villages, days))
    area_row = {tree.levels.area_ids[row]: row for row in range(tree.villages)}  # village id → row
    if from_day > start:
        _stored_counts(source.key, start, from_day - _DAY, area_row, counts)
    for code, day, count in source.counts(start=from_day, end=end):
        row = tree.village_row.get(code)
        if row is not None and start <= day <= end:
            counts[row, (day - start).days] += count
    return counts


def _stored_counts(
    key: str,
    start: datetime.date,
    last: datetime.date,
    area_row: dict[int, int],
    counts: Floats,
) -> None:
    """The villages' stored counts from ``start`` to ``last`` into ``counts``, read by hand: a
    year of a district's villages is a few hundred thousand rows, and the ORM's per-row
    conversions would be most of a day's update."""
    qn = connection.ops.quote_name
    # The day as its column, computed by the database (no date to parse per row).
    if connection.vendor == "postgresql":
        column = "day - %s::date"
    else:
        column = "CAST(julianday(day) - julianday(%s) AS INTEGER)"
    sql = (
        f"SELECT area_id, {column}, {qn('count')} "  # noqa: S608
        f"FROM {qn(DailyCount._meta.db_table)} "
        "WHERE series = %s AND day >= %s AND day <= %s"
    )
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(start), key, adapt(start), adapt(last)])
        for area_id, day, count in cursor.fetchall():
            row = area_row.get(area_id)
            if row is not None:  # not a town's or the district's sum
                counts[row, day] = count


def recompute(
    *,
    actor: User | None,
    end: datetime.date,
    start: datetime.date | None = None,
    from_day: datetime.date | None = None,
    si_mean: float | None = None,
    si_sd: float | None = None,
    progress: Progress = no_progress,
) -> Run:
    """Recompute every series from ``start`` (default: ``PREDICTION_HISTORY_DAYS`` before
    ``end``) to ``end``, rewriting the results from ``from_day`` (default ``start``) on.

    ``actor`` None: the nightly command. All or nothing, in one transaction."""
    if actor is not None:
        require_recompute(actor)
    params = conf.parameters(si_mean=si_mean, si_sd=si_sd)
    start = start or end - datetime.timedelta(days=conf.history_days() - 1)
    check_period(start, end)
    from_day = min(max(from_day or start, start), end)
    from_index = (from_day - start).days
    tree = Tree.load()
    # A series of imported cases before the series it is the imported part of.
    sources = sorted(platform.series_sources(), key=lambda s: not s.imported_part_of)
    imported_of: dict[str, Floats] = {}
    now = timezone.now()
    with transaction.atomic():
        run = Run.objects.create(
            start=start,
            end=end,
            from_day=from_day,
            si_mean=params.si_mean,
            si_sd=params.si_sd,
            started_at=now,
            started_by=actor,
        )
        opened = 0
        progress(0, len(sources), _("Recomputing"))
        for done, source in enumerate(sources, start=1):
            counts = tree.all_levels(_village_counts(source, tree, start, end, from_day))
            active = counts.any(axis=1)
            store_counts(source.key, counts, tree.levels, start, from_index)
            scores = store_ears(source.key, counts, active, tree.levels, start, from_index, params)
            if source.imported_part_of:
                imported_of[source.imported_part_of] = counts
            estimates = store_rt(
                source.key,
                counts,
                active,
                tree.levels,
                start,
                from_index,
                params,
                imported=imported_of.get(source.key),
                reproduces=source.reproduces,
            )
            store_projection(source.key, counts, active, tree.levels, start, estimates, params)
            opened += signals_update(
                key=source.key,
                flags=flags_of(scores, estimates, tree.levels, active),
                levels=tree.levels,
                start=start,
                from_index=from_index,
                now=now,
            )
            progress(done, len(sources), str(source.label))
        run.finished_at = timezone.now()
        run.signals_opened = opened
        run.save(update_fields=["finished_at", "signals_opened"])
        root = Area.objects.filter(kind=AreaKind.DISTRICT).values_list("code", flat=True).first()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=run,
            area_code=root or "",
            note=f"{start}…{end} from {from_day}: {opened} signals opened",
        )
    return run


def recompute_daily(
    *, actor: User | None, end: datetime.date, progress: Progress = no_progress
) -> Run:
    """The nightly update: the newest ``PREDICTION_DAILY_DAYS`` days up to ``end`` rewritten,
    over the last ``PREDICTION_HISTORY_DAYS`` (a full run when nothing has been run before).

    The history's first day moves on by a day each night; Rt treats that day's cases as
    imported, which after a year of history changes nothing a reader could see in the newest
    windows (the serial interval's weight that far back is nil)."""
    start = end - datetime.timedelta(days=conf.history_days() - 1)
    from_day = end - datetime.timedelta(days=conf.daily_days() - 1)
    if not Run.objects.filter(finished_at__isnull=False, end__gte=from_day - _DAY).exists():
        from_day = start
    return recompute(actor=actor, end=end, start=start, from_day=from_day, progress=progress)


def recompute_start(
    *,
    actor: User,
    end: datetime.date,
    start: datetime.date | None = None,
    from_day: datetime.date | None = None,
    si_mean: float | None = None,
    si_sd: float | None = None,
) -> Job:
    """Check what can be checked now (the role, the period, the serial interval) and queue the
    recomputation as a job for ``actor``."""
    require_recompute(actor)
    conf.parameters(si_mean=si_mean, si_sd=si_sd)
    check_period(start or end - datetime.timedelta(days=conf.history_days() - 1), end)
    if from_day is not None and start is not None:
        check_period(start, from_day)
    return job_start(
        actor=actor,
        kind=RECOMPUTE_JOB,
        label=_("Recompute the early warning to %(end)s") % {"end": end.isoformat()},
        params={
            "end": end.isoformat(),
            "start": start.isoformat() if start else None,
            "from_day": from_day.isoformat() if from_day else None,
            "si_mean": si_mean,
            "si_sd": si_sd,
        },
    )
