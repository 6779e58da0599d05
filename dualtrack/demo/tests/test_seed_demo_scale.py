"""The run's demo at scale 0.05 (the one the jobs and enterprises modules read): its counts follow
the scale as those of the demo at 0.02 do (test_seed_demo.py)."""

from __future__ import annotations

import pytest

from dualtrack.demo.tests.checks import assert_counts_follow_the_scale

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]

DEMO_SCALE = "0.05"


def test_counts_follow_the_scale():
    assert_counts_follow_the_scale(float(DEMO_SCALE))
