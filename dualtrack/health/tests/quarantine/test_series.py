"""Health's daily series for the early warning: quarantine checks with symptoms or a fever, per
order's village and day, counted in the database."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dualtrack.core import platform
from dualtrack.health.services.quarantine_checks import check_record

pytestmark = pytest.mark.django_db


def test_checks_with_symptoms_per_village_and_day(personas, district, home_order, far_order):
    today = timezone.localdate()
    # The afternoon slot opens in the afternoon: recorded as at 20:00 (CI runs at 01:00).
    now = datetime.datetime.combine(
        today, datetime.time(20), tzinfo=timezone.get_current_timezone()
    )
    for order, period, temperature, symptoms in (
        (home_order, "am", "36.6", "咳嗽"),
        (home_order, "pm", "38.2", ""),
        (far_order, "am", "36.5", ""),
    ):
        check_record(
            actor=personas.district_admin,
            order=order,
            day=today,
            period=period,
            temperature=temperature,
            symptoms=symptoms,
            now=now,
        )
    source = next(s for s in platform.series_sources() if s.key == "health.quarantine_symptoms")
    assert list(source.counts(start=today, end=today)) == [(district.village.code, today, 2)]
    assert source.records(district.village.pk, today).endswith(f"?area={district.village.pk}")
