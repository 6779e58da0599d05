"""Fixtures of the early warning's tests.

- ``counts``: a dict ``{(area, day): n}`` the ``fake_series`` source reads (villages only), and
  ``fake_series``: the registered series replaced by one, "test.fevers", reading it as an app's
  source would (summed per village code and day, for the days asked).
- ``prevention``: a user of the prevention working group.
"""

from __future__ import annotations

import datetime

import pytest

from dualtrack.areas.models import Duty
from dualtrack.core import platform

KEY = "test.fevers"
END = datetime.date(2020, 3, 31)
START = END - datetime.timedelta(days=59)


@pytest.fixture
def counts() -> dict:
    return {}


@pytest.fixture
def fake_series(monkeypatch, counts):
    def read(*, start, end):
        totals: dict = {}
        for (area, day), n in counts.items():
            if start <= day <= end:
                totals[(area.code, day)] = totals.get((area.code, day), 0) + n
        return [(code, day, n) for (code, day), n in totals.items()]

    source = platform.SeriesSource(
        key=KEY, label="fevers", counts=read, records=lambda area_id, day: f"/r/{area_id}/{day}"
    )
    monkeypatch.setattr(platform, "series_sources", lambda: [source])
    return source


@pytest.fixture
def prevention(working_group_staff):
    return working_group_staff(Duty.PREVENTION, "prevention")


def steady(counts: dict, area, *, start=START, end=END, level: int = 2) -> None:
    """A steady count with a weekly wiggle (level, level + 1, …) every day."""
    day = start
    while day <= end:
        counts[(area, day)] = level + (day.toordinal() % 2)
        day += datetime.timedelta(days=1)


DAY = datetime.timedelta(days=1)


def outbreak(counts: dict, area, *, end=END) -> None:
    """Steady counts in ``area``, then 9, 14 and 20 on the last three days: C1–C3 signals."""
    steady(counts, area, end=end)
    for back, n in ((2, 9), (1, 14), (0, 20)):
        counts[(area, end - back * DAY)] = n


@pytest.fixture
def computed(district, counts, fake_series):
    """The outbreak in ``district.village`` (昌东镇) and in ``district.far_village`` (麻丘镇),
    computed: ``computed["near"]`` and ``["far"]`` are their villages' C3 signals."""
    from dualtrack.prediction.models import Signal
    from dualtrack.prediction.services.recompute import recompute

    steady(counts, district.sibling_village, level=3)
    outbreak(counts, district.village)
    outbreak(counts, district.far_village)
    recompute(actor=None, start=START, end=END)
    return {
        "near": Signal.objects.get(area=district.village, method="c3"),
        "far": Signal.objects.get(area=district.far_village, method="c3"),
    }
