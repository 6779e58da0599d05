"""The recomputation: the series summed up the tree, incremental equal to full, signals opened
once per run of days, a closed one not firing again, bad input refused with nothing written."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from dualtrack.core import platform
from dualtrack.core.errors import NotFound, PermissionDenied, ValidationFailed
from dualtrack.prediction.models import (
    DailyCount,
    EarsScore,
    ProjectionDay,
    RtEstimate,
    Run,
    Signal,
    SignalState,
)
from dualtrack.prediction.services.recompute import recompute
from dualtrack.prediction.services.signals import signal_acknowledge, signal_close
from dualtrack.prediction.tests.conftest import END, START, steady

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _outbreak(counts, district, *, end=END):
    steady(counts, district.village)
    steady(counts, district.sibling_village, level=3)
    steady(counts, district.far_village, level=1)
    for back, n in ((2, 9), (1, 14), (0, 20)):
        counts[(district.village, end - back * DAY)] = n


def _state():
    def rows(model, fields):
        return sorted(model.objects.values_list(*fields))

    return (
        rows(DailyCount, ("series", "area_id", "day", "count")),
        rows(
            EarsScore,
            ("area_id", "day", "count", "c1", "c2", "c3", "c3_flag", "c1_upper", "c2_mean"),
        ),
        rows(RtEstimate, ("area_id", "day", "mean", "lower", "upper", "too_few_cases")),
        rows(ProjectionDay, ("area_id", "made_on", "ahead", "median", "upper_95")),
        rows(Signal, ("area_id", "method", "first_day", "last_day", "value", "state")),
    )


def test_towns_and_district_are_sums_of_villages(district, counts, fake_series):
    _outbreak(counts, district)
    recompute(actor=None, start=START, end=END)
    day = END
    stored = dict(DailyCount.objects.filter(day=day).values_list("area_id", "count"))
    village, sibling, far = (
        counts[(a, day)] for a in (district.village, district.sibling_village, district.far_village)
    )
    assert stored[district.village.pk] == village
    assert stored[district.town.pk] == village + sibling
    assert stored[district.other_town.pk] == far
    assert stored[district.root.pk] == village + sibling + far


def test_incremental_equals_full(district, counts, fake_series):
    _outbreak(counts, district)
    recompute(actor=None, start=START, end=END)
    full = _state()
    for model in (DailyCount, EarsScore, RtEstimate, ProjectionDay, Signal, Run):
        model.objects.all().delete()
    recompute(actor=None, start=START, end=END - 3 * DAY)
    for day_back in (2, 1, 0):
        end = END - day_back * DAY
        recompute(actor=None, start=START, end=end, from_day=end - 2 * DAY)
    assert _state() == full


def test_a_village_outbreak_raises_c3_and_running_twice_changes_nothing(
    district, counts, fake_series
):
    _outbreak(counts, district)
    recompute(actor=None, start=START, end=END)
    signal = Signal.objects.get(area=district.village, method="c3")
    assert signal.last_day == END and signal.state == SignalState.OPEN
    before = _state()
    run = recompute(actor=None, start=START, end=END, from_day=END - 2 * DAY)
    assert run.signals_opened == 0
    assert _state()[4] == before[4]


def test_a_closed_signal_does_not_fire_again_for_the_same_run(
    district, counts, fake_series, personas
):
    _outbreak(counts, district, end=END - DAY)
    recompute(actor=None, start=START, end=END - DAY)
    signal = Signal.objects.get(area=district.village, method="c3")
    signal_close(actor=personas.town_officer, signal=signal, note="已排查：聚集性发热")
    counts[(district.village, END)] = 30  # the run goes on
    run = recompute(actor=None, start=START, end=END, from_day=END - 2 * DAY)
    signal.refresh_from_db()
    assert signal.state == SignalState.CLOSED and signal.last_day == END
    assert not Signal.objects.filter(area=district.village, method="c3").exclude(pk=signal.pk)
    assert run.signals_opened == Signal.objects.filter(opened_at__gte=run.started_at).count()


def test_acknowledge_needs_the_role_and_moves_it_out_of_open(
    district, counts, fake_series, personas
):
    _outbreak(counts, district)
    recompute(actor=None, start=START, end=END)
    signal = Signal.objects.get(area=district.village, method="c3")
    with pytest.raises(NotFound):  # a village cadre does not see the early warning
        signal_acknowledge(actor=personas.village_cadre, signal=signal)
    signal = signal_acknowledge(actor=personas.town_officer, signal=signal, note="在查")
    assert signal.state == SignalState.ACKNOWLEDGED
    assert signal.acknowledged_by == personas.town_officer and signal.acknowledged_note == "在查"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start": END + DAY}, "start"),
        ({"start": END - datetime.timedelta(days=3 * 365 + 1)}, "start"),
        ({"start": START, "si_mean": 1.0}, "si_mean"),
        ({"start": START, "si_sd": 0.0}, "si_sd"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(district, counts, fake_series, kwargs, field):
    _outbreak(counts, district)
    with pytest.raises(ValidationFailed) as refused:
        recompute(actor=None, end=END, **kwargs)
    assert refused.value.errors[0]["field"] == field
    assert not Run.objects.exists() and not DailyCount.objects.exists()


def test_only_the_district_roles_recompute(district, counts, fake_series, personas, prevention):
    with pytest.raises(PermissionDenied):
        recompute(actor=personas.town_officer, start=START, end=END)
    recompute(actor=prevention, start=START, end=END)
    assert Run.objects.get().started_by == prevention


def test_a_series_transmission_does_not_make_has_no_rt(district, counts, fake_series, monkeypatch):
    """Arrivals from elsewhere: EARS as any series, no Rt, no projection, no Rt signal."""
    _outbreak(counts, district)
    arrivals = dataclasses.replace(fake_series, reproduces=False)
    monkeypatch.setattr(platform, "series_sources", lambda: [arrivals])
    recompute(actor=None, start=START, end=END)
    assert EarsScore.objects.filter(series=arrivals.key, c3_flag=True).exists()
    assert not RtEstimate.objects.exists() and not ProjectionDay.objects.exists()
    assert not Signal.objects.filter(method="rt").exists()
    # The same counts as a series transmission makes: Rt and its projection stored.
    monkeypatch.setattr(platform, "series_sources", lambda: [fake_series])
    recompute(actor=None, start=START, end=END)
    assert RtEstimate.objects.exists() and ProjectionDay.objects.exists()
