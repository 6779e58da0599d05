"""``manage.py recompute_signals``: the nightly update with its progress, safe to run twice, and
a bad serial interval in the settings refused with nothing written."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from dualtrack.prediction.models import Run, Signal
from dualtrack.prediction.tests.conftest import END, START, outbreak

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("recompute_signals", *args, stdout=out)
    return out.getvalue()


def test_the_nightly_update_is_safe_to_run_twice(district, counts, fake_series):
    outbreak(counts, district.village)
    first = _run("--start", START.isoformat(), "--end", END.isoformat())
    assert "Recomputed" in first and "%" in first  # the progress, stage by stage
    signals = sorted(Signal.objects.values_list("area_id", "method", "first_day", "last_day"))
    assert signals
    again = _run("--end", END.isoformat(), "--start", START.isoformat(), "--from", END.isoformat())
    assert "0 signals opened" in again
    assert sorted(Signal.objects.values_list("area_id", "method", "first_day", "last_day")) == (
        signals
    )


def test_the_default_is_the_newest_days_once_a_full_run_exists(district, counts, fake_series):
    outbreak(counts, district.village)
    _run("--start", START.isoformat(), "--end", END.isoformat())
    _run("--end", END.isoformat())
    newest = Run.objects.order_by("-id").first()
    assert newest is not None and (newest.end - newest.from_day).days == 2


def test_a_bad_serial_interval_in_the_settings_is_refused(settings, district, counts, fake_series):
    settings.PREDICTION_SI_SD = 0
    with pytest.raises(CommandError, match=r"标准差|standard deviation"):
        _run("--end", END.isoformat(), "--full")
    assert not Run.objects.exists()
