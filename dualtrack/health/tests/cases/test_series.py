"""The cases' daily series for the early warning: new cases by onset and by report date per
village (a case of a group counts in its village), suspected and ruled-out cases left out."""

from __future__ import annotations

import pytest

from dualtrack.core import platform
from dualtrack.health.tests.cases.factories import days_ago, make_case

pytestmark = pytest.mark.django_db


def _counts(key: str) -> list:
    source = next(s for s in platform.series_sources() if s.key == key)
    return sorted(source.counts(start=days_ago(10), end=days_ago(0)))


def test_cases_by_onset_and_by_report(personas, district):
    admin = personas.district_admin
    make_case(actor=admin, area=district.village, name="甲")
    make_case(actor=admin, area=district.group, name="乙")  # a group of the same village
    make_case(actor=admin, area=district.far_village, name="丙", onset_date=days_ago(4))
    make_case(actor=admin, area=district.village, name="丁", classification="suspected")
    village, far = district.village.code, district.far_village.code
    assert _counts("health.cases_by_onset") == sorted(
        [(village, days_ago(3), 2), (far, days_ago(4), 1)]
    )
    assert _counts("health.cases_by_report") == sorted(
        [(village, days_ago(1), 2), (far, days_ago(1), 1)]
    )


def test_every_health_series_is_registered_and_reads(district):
    keys = {s.key for s in platform.series_sources()}
    for source in platform.series_sources():
        assert list(source.counts(start=days_ago(3), end=days_ago(0))) == []
    assert {
        "health.screening_fevers",
        "health.quarantine_symptoms",
        "health.cases_by_onset",
        "health.cases_by_report",
    } <= keys
