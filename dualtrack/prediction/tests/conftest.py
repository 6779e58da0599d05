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
