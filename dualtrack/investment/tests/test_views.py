"""The investment pages: scoped like the API, forms refused with their messages."""

from __future__ import annotations

import pytest
from django.test import Client

from dualtrack.investment.models import Ceremony, Stage

from . import factories

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_pages_are_scoped(personas, team, local_company, local_login, other_login):
    own = factories.project(team, local_company=local_company)
    page = f"/investment/projects/{own.pk}/"
    assert _client(team).get(page).status_code == 200
    assert _client(local_login).get(page).status_code == 200
    assert "stage-form" not in _client(local_login).get(page).content.decode()
    for outsider in (other_login, personas.town_officer, personas.outsider):
        assert _client(outsider).get(page).status_code == 404
    assert own.name in _client(team).get("/investment/").content.decode()
    assert _client(personas.town_officer).get("/investment/").status_code == 404
    started = _client(team).post("/investment/export/")
    assert started.status_code == 303 and started["Location"].startswith("/jobs/")
    assert _client(local_login).post("/investment/export/").status_code == 404
    assert _client(personas.commander).get("/investment/projects/new/").status_code == 403
    stage = f"/investment/projects/{own.pk}/stage/"
    assert _client(personas.commander).post(stage, {"stage": "contact"}).status_code == 403
    assert _client(team).post(stage, {"stage": "contact"}).status_code == 302
    bad = _client(team).post(f"/investment/projects/{own.pk}/meetings/", {"participants": "x"})
    assert bad.status_code == 422
    doc = _client(team).post(
        f"/investment/projects/{own.pk}/documents/", {"title": "x", "direction": "sent"}
    )
    assert doc.status_code == 422


def test_the_ceremony_page_refuses_a_project_without_an_agreement(team):
    early = factories.project(team, name="仍在洽谈", to=Stage.NEGOTIATION)
    page = _client(team).post(
        "/investment/ceremonies/new/",
        {"title": "集中签约", "held_at": "2020-03-10T10:00", "projects": [early.pk]},
    )
    assert page.status_code == 422
    assert "仍在洽谈" in page.content.decode()
    assert not Ceremony.objects.exists()
