"""The demo's early warning tells a true story on first start: the planted fever cluster gives
its village a C3 signal and its town Rt above 1 for more than a week, and the background's
scattered counts stay quiet — a handful of signals, every one backed by the stored records."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Sum

from dualtrack.areas.models import VILLAGE_KINDS, AreaKind
from dualtrack.prediction import conf
from dualtrack.prediction.models import DailyCount, EarsScore, RtEstimate, Signal, SignalState

# The demo at scale 0.02, seeded once for the run (``demo_district``).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]

MOST_SIGNALS = 20  # the demo's promise: a handful, not one per village


def _three_day_count(signal: Signal, day: datetime.date) -> int:
    total = DailyCount.objects.filter(
        series=signal.series,
        area=signal.area,
        day__range=(day - datetime.timedelta(days=2), day),
    ).aggregate(n=Sum("count"))["n"]
    return int(total or 0)


def test_the_demo_raises_a_handful_of_true_signals():
    signals = list(Signal.objects.select_related("area"))
    assert 3 <= len(signals) <= MOST_SIGNALS
    assert all(s.state == SignalState.OPEN for s in signals)
    min_count = conf.parameters().min_count

    # A C3 in a village: flagged on every day of its run, above a count the rule lets through.
    village_c3 = [s for s in signals if s.method == "c3" and s.area.kind in VILLAGE_KINDS]
    assert village_c3
    for signal in village_c3:
        days = (signal.last_day - signal.first_day).days + 1
        scores = EarsScore.objects.filter(
            series=signal.series, area=signal.area, day__range=(signal.first_day, signal.last_day)
        )
        assert scores.filter(c3_flag=True).count() == days
        assert _three_day_count(signal, signal.last_day) >= min_count

    # Every EARS signal's days carry enough counts: no single fever after a quiet week.
    for signal in signals:
        if signal.method != "rt":
            assert _three_day_count(signal, signal.first_day) >= min_count

    # A town with Rt above 1 for a week or more, in windows with enough cases.
    town_rt = [s for s in signals if s.method == "rt" and s.area.kind == AreaKind.TOWN]
    assert town_rt
    longest = max(town_rt, key=lambda s: s.last_day - s.first_day)
    estimates = list(
        RtEstimate.objects.filter(
            series=longest.series,
            area=longest.area,
            day__range=(longest.first_day, longest.last_day),
        ).order_by("day")
    )
    assert len(estimates) >= 7
    assert all(e.mean > 1 and not e.too_few_cases for e in estimates)
    assert [e.day for e in estimates] == [
        longest.first_day + datetime.timedelta(days=n) for n in range(len(estimates))
    ]
    # The same series' village is the one with the C3: the cluster behind both.
    assert any(
        s.series == longest.series and s.area.code.startswith(longest.area.code) for s in village_c3
    )
