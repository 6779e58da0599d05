"""The checkpoints' daily series for the early warning: fevers and risk-area arrivals per village
and day, summed in the database from the daily figures, registered with the platform."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from dualtrack.checkpoints.tests.conftest import HUBEI
from dualtrack.core import platform

pytestmark = pytest.mark.django_db


def _source(key: str) -> platform.SeriesSource:
    return next(s for s in platform.series_sources() if s.key == key)


def test_fevers_and_risk_arrivals_per_village_and_day(
    register, checkpoint, other_checkpoint, far_checkpoint, district, risk_area, personas
):
    from dualtrack.checkpoints.services.passages import passage_register
    from dualtrack.checkpoints.tests.conftest import make_input

    register(temperature=Decimal("38.6"))
    register(temperature=Decimal("38.1"), origin_code=HUBEI)
    register(temperature=Decimal("36.4"))
    passage_register(
        actor=personas.district_admin,
        checkpoint=other_checkpoint,
        data=make_input(temperature=Decimal("38.9")),
    )
    today = timezone.localdate()
    fevers = list(_source("checkpoints.fevers").counts(start=today, end=today))
    arrivals = list(_source("checkpoints.risk_arrivals").counts(start=today, end=today))
    assert fevers == [(district.village.code, today, 3)]  # two gates of one village, summed
    assert arrivals == [(district.village.code, today, 1)]
    url = _source("checkpoints.fevers").records(district.village.pk, today)
    assert url == f"/checkpoints/figures/?area={district.village.pk}"
    long_ago = today.replace(year=2000)
    assert list(_source("checkpoints.fevers").counts(start=long_ago, end=long_ago)) == []
