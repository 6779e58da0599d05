"""The cases' share of health's contribution: figures, audit history, admin."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dualtrack.core import platform
from dualtrack.health.models import Case
from dualtrack.health.tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def _figures(user):
    return {
        f.key: f.value
        for f in platform.figures_for(user=user, day=timezone.localdate())
        if f.key.startswith("health.")
    }


def test_figures_in_and_out_of_sight(district, personas, prevention):
    make_case(actor=prevention, area=district.group)
    make_case(actor=prevention, area=district.far_group, classification="suspected")
    assert _figures(prevention)["health.cases_confirmed"] == 1
    assert _figures(prevention)["health.active_cases"] == 2
    assert _figures(personas.village_cadre)["health.cases_confirmed"] == 1
    far_only = _figures(personas.town_officer)
    assert far_only["health.active_cases"] == 1
    assert _figures(personas.outsider) == {}


def test_case_history_readable_in_scope_only(client, district, personas, prevention):
    case = make_case(actor=prevention, area=district.far_group)
    url = f"/audit/health/case/{case.pk}/"
    client.force_login(personas.district_admin)
    assert client.get(url).status_code == 200
    client.force_login(personas.town_officer)
    assert client.get(url).status_code == 404


def test_admin_scoped(client, district, personas, prevention):
    mine = make_case(actor=prevention, area=district.group)
    far = make_case(actor=prevention, area=district.far_group)
    officer = personas.town_officer
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    listed = client.get("/admin/health/case/")
    assert listed.status_code == 200
    assert mine.number in listed.content.decode() and far.number not in listed.content.decode()
    assert client.get(f"/admin/health/case/{far.pk}/change/").status_code == 404
    assert client.get(f"/admin/health/case/{mine.pk}/change/").status_code == 200
    assert Case.objects.count() == 2
