"""A series of imported cases, registered as the imported part of another: Rt counts them in the
infectivity and never among the new local cases, as EpiEstim's ``estimate_R`` does with
``incid$imported``."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from dualtrack.core import platform
from dualtrack.prediction import conf
from dualtrack.prediction.methods.rt import estimate_rt
from dualtrack.prediction.models import RtEstimate
from dualtrack.prediction.services.recompute import recompute
from dualtrack.prediction.tests.conftest import END, START

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
DAYS = (END - START).days + 1


def _reader(per_day: dict[datetime.date, int], code: str):
    def read(*, start, end):
        return [(code, day, n) for day, n in per_day.items() if start <= day <= end]

    return read


def test_imported_cases_count_in_the_infectivity_only(monkeypatch, district):
    # Every case of the first weeks was exposed elsewhere, then local cases follow them.
    total = {START + i * DAY: (3 if i < 20 else 2 + i % 3) for i in range(DAYS)}
    imported = {START + i * DAY: (3 if i < 20 else 0) for i in range(DAYS)}
    code = district.village.code
    cases = platform.SeriesSource(key="test.cases", label="cases", counts=_reader(total, code))
    imports = platform.SeriesSource(
        key="test.imported",
        label="imported",
        counts=_reader(imported, code),
        imported_part_of="test.cases",
    )
    # Registered after the series it belongs to: the recomputation still reads it first.
    monkeypatch.setattr(platform, "series_sources", lambda: [cases, imports])

    recompute(actor=None, start=START, end=END)

    all_cases = np.array([total[START + i * DAY] for i in range(DAYS)], dtype=float)
    from_abroad = np.array([imported[START + i * DAY] for i in range(DAYS)], dtype=float)
    params = conf.parameters()
    expected = estimate_rt(
        all_cases - from_abroad, imported=from_abroad, si_mean=params.si_mean, si_sd=params.si_sd
    )
    as_if_local = estimate_rt(all_cases, si_mean=params.si_mean, si_sd=params.si_sd)
    stored = dict(
        RtEstimate.objects.filter(series="test.cases", area=district.town).values_list(
            "day", "mean"
        )
    )
    assert stored
    for day, mean in stored.items():
        index = (day - START).days
        assert mean == pytest.approx(expected.mean[index], rel=1e-12)
    # Counting the imported cases as local would have said otherwise in the first weeks.
    first = min(stored)
    assert expected.mean[(first - START).days] != pytest.approx(
        as_if_local.mean[(first - START).days], rel=1e-3
    )
