"""seed_demo's own runs: the password, the seed, refusals (each test seeds itself; the tests that
read the run's demo are in test_seed_demo.py and test_seed_demo_scale.py)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from dualtrack.areas.models import Area, Resident
from dualtrack.core.models import User
from dualtrack.demo.seed import STEPS
from dualtrack.demo.seeder import Seeder

pytestmark = pytest.mark.django_db

SCALE = 0.01  # the smallest: these tests seed on their own (the counts at a scale: checks.py)


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _rows() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    residents = [(r.name, r.id_number) for r in Resident.objects.order_by("pk")[:20]]
    areas = list(Area.objects.order_by("code").values_list("code", "name")[:40])
    return residents, areas


def _first_steps(seed_value: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The rows of the steps that build the areas and the residents (the first two of
    ``seed.STEPS``) with ``seed_value``, in a savepoint rolled back."""
    with transaction.atomic():
        seeder = Seeder(scale=SCALE, seed=seed_value, password="x", progress=lambda _: None)
        for step in STEPS[:2]:
            step(seeder)
        rows = _rows()
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_builds_the_same_district_with_the_password_given(monkeypatch):
    """``seed_demo --seed 7`` builds the areas and residents its first steps build with seed 7,
    and they build them alike every time; seed 8 builds other residents. (One whole run: the
    steps after the first two read those rows, they do not change them.) The logins' password
    is the environment's ``DEMO_PASSWORD`` when it is set, and ``demo_logins`` prints it."""
    monkeypatch.setenv("DEMO_PASSWORD", "Another-pass-2020")
    with transaction.atomic():
        seed("--scale", str(SCALE), "--seed", "7", "-v", "0")
        whole = _rows()
        assert User.objects.get(username="commander").check_password("Another-pass-2020")
        out = io.StringIO()
        call_command("demo_logins", stdout=out)
        assert "Another-pass-2020" in out.getvalue()
        transaction.set_rollback(True)
    assert not Area.objects.exists()
    assert whole[0] and whole[1]
    assert _first_steps(7) == whole
    assert _first_steps(7) == whole
    assert _first_steps(8)[0] != whole[0]


@pytest.mark.parametrize("scale", ["0", "-1", "100", "many"])
def test_an_impossible_scale_is_refused(scale):
    with pytest.raises(CommandError, match=r"scale|number"):
        seed("--scale", scale)
    assert not Area.objects.exists()
