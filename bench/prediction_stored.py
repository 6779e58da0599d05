"""The early warning from stored daily counts to stored results (issue 14), for bench/prediction.py.

The same synthetic series as the methods' benchmark are written as one series' daily counts of
a district of ``areas`` villages and communities (``areas // 20`` towns), in a fresh database
(``--database``, default a temporary SQLite file); then the app's own recomputation is timed:
the full year (counts read back, summed up the tree, EARS C1–C3, Rt, the projection and the
signals stored), and a day's update (the newest day rewritten) after one more day of counts.
"""

from __future__ import annotations

import datetime
import os
import tempfile
import time
from typing import Any

import numpy as np

KEY = "bench.fevers"


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _tree(villages: int) -> list[Any]:
    """A district of ``villages`` villages under ``villages // 20`` towns, written directly."""
    from dualtrack.areas.models import Area, AreaKind

    Area.objects.filter(code__startswith="BX").delete()
    root = Area.objects.create(name="基准区", kind=AreaKind.DISTRICT, code="BX")
    towns = Area.objects.bulk_create(
        Area(name=f"镇{t}", kind=AreaKind.TOWN, code=f"BX{t:02d}", parent=root)
        for t in range(max(1, villages // 20))
    )
    return Area.objects.bulk_create(
        Area(
            name=f"村{v}",
            kind=AreaKind.VILLAGE,
            code=f"{towns[v % len(towns)].code}{v // len(towns):03d}",
            parent=towns[v % len(towns)],
        )
        for v in range(villages)
    )


def _store(villages: list[Any], counts: np.ndarray, start: datetime.date) -> None:
    from dualtrack.prediction.models import DailyCount

    rows, days = np.nonzero(counts)
    DailyCount.objects.bulk_create(
        (
            DailyCount(
                series=KEY,
                area_id=villages[r].pk,
                day=start + datetime.timedelta(days=d),
                count=int(counts[r, d]),
            )
            for r, d in zip(rows.tolist(), days.tolist(), strict=True)
        ),
        batch_size=5000,
    )


def run(counts: np.ndarray, database: str | None) -> dict[str, float]:
    """Store ``counts`` (areas × days) as village counts, and time the full recomputation and a
    day's update; the figures in seconds."""
    folder = tempfile.mkdtemp(prefix="bench_prediction_db_")
    _django(database or f"sqlite:///{folder}/bench.sqlite3")
    from django.db.models import F

    from dualtrack.core import platform
    from dualtrack.prediction.models import DailyCount, EarsScore, RtEstimate, Signal
    from dualtrack.prediction.services.recompute import recompute

    areas, days = counts.shape
    end = datetime.date(2020, 12, 31)
    start = end - datetime.timedelta(days=days - 1)
    villages = _tree(areas)
    held = counts[:, :-1]  # the last day arrives later, for the day's update
    DailyCount.objects.filter(series=KEY).delete()
    _store(villages, held, start)
    codes = {v.pk: v.code for v in villages}

    def stored(*, start: datetime.date, end: datetime.date) -> list[tuple[str, Any, int]]:
        rows = DailyCount.objects.filter(
            series=KEY, day__range=(start, end), area_id__in=list(codes)
        ).values_list("area_id", "day", "count")
        return [(codes[a], d, c) for a, d, c in rows]

    source = platform.SeriesSource(key=KEY, label="bench", counts=stored)
    platform.series_sources = lambda: [source]  # this benchmark's one series

    started = time.perf_counter()
    recompute(actor=None, start=start, end=end - datetime.timedelta(days=1))
    full = time.perf_counter() - started
    figures = {
        "full": full,
        "ears_rows": EarsScore.objects.count(),
        "rt_rows": RtEstimate.objects.count(),
        "signals": Signal.objects.count(),
    }
    _store(villages, counts[:, -1:], end)  # the new day's counts come in
    started = time.perf_counter()
    recompute(actor=None, start=start, end=end, from_day=end)
    figures["day"] = time.perf_counter() - started
    assert EarsScore.objects.filter(day=end).exclude(count=F("count")).count() == 0
    return figures
