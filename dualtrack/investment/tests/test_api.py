"""The investment API: every route's scoping (the team writes, district-wide staff read, the
investor's local company reads its own project, anyone else 404), a signing without an agreement
refused with nothing written, the export and the figures."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from dualtrack.core.tests.helpers import accepted_job, comparable_problem, starting_jobs
from dualtrack.investment.models import Ceremony, Project, Stage

from . import factories

pytestmark = pytest.mark.django_db

API = "/api/investment"


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


BODY = {
    "name": "新能源电池项目",
    "investor": "某新能源集团",
    "industry": "新能源",
    "amount": "1500000000.00",
    "jobs_expected": 600,
    "team": "招商二组",
}


def test_projects_are_scoped(personas, team, local_company, local_login, other_login):
    own = factories.project(team, local_company=local_company)
    other = factories.project(team, name="别家项目")
    url = f"{API}/projects/{own.pk}"
    assert _client(team).get(url).status_code == 200
    assert _client(personas.commander).get(url).status_code == 200
    assert _client(local_login).get(url).status_code == 200
    missing = _client(team).get(f"{API}/projects/999999")
    for outsider in (other_login, personas.town_officer, personas.outsider):
        response = _client(outsider).get(url)
        assert response.status_code == 404
        assert comparable_problem(response) == comparable_problem(missing)
    assert _client(local_login).get(f"{API}/projects/{other.pk}").status_code == 404
    assert [p["id"] for p in _client(local_login).get(f"{API}/projects").json()] == [own.pk]
    assert len(_client(team).get(f"{API}/projects").json()) == 2
    assert _client(personas.town_officer).get(f"{API}/projects").status_code == 404


def test_writes_are_the_teams(personas, team, local_login):
    assert _post(_client(personas.commander), f"{API}/projects", BODY).status_code == 403
    assert _post(_client(personas.town_officer), f"{API}/projects", BODY).status_code == 404
    created = _post(_client(team), f"{API}/projects", BODY)
    assert created.status_code == 201 and created.json()["amount"] == "1500000000.00"
    pk = created.json()["id"]
    stage = f"{API}/projects/{pk}/stage"
    assert _post(_client(personas.commander), stage, {"stage": "contact"}).status_code == 403
    assert _post(_client(team), stage, {"stage": "contact"}).json()["stage"] == "contact"
    meetings = f"{API}/projects/{pk}/meetings"
    body = {"held_at": "2020-02-20T10:00:00+08:00", "participants": "双方", "minutes": "洽谈"}
    assert _post(_client(local_login), meetings, body).status_code == 404  # not its project
    assert _post(_client(personas.commander), meetings, body).status_code == 403
    assert _post(_client(team), meetings, body).status_code == 201
    docs = f"{API}/projects/{pk}/documents"
    bad = _client(team).post(docs, {"title": "合同", "direction": "sent"})
    assert bad.status_code == 422
    assert len(_client(team).get(f"{API}/projects/{pk}").json()["meetings"]) == 1


def test_a_signing_without_an_agreement_is_refused_and_nothing_written(team, personas):
    ready = factories.project(team, name="已达成协议", to=Stage.AGREEMENT)
    early = factories.project(team, name="仍在洽谈", to=Stage.NEGOTIATION)
    body = {
        "title": "集中签约仪式",
        "held_at": "2020-03-10T10:00:00+08:00",
        "project_ids": [ready.pk, early.pk],
    }
    refused = _post(_client(team), f"{API}/ceremonies", body)
    assert refused.status_code == 422
    assert "仍在洽谈" in refused.json()["errors"][0]["message"]
    assert not Ceremony.objects.exists() and not Project.objects.filter(stage="signed").exists()
    assert _post(_client(personas.commander), f"{API}/ceremonies", body).status_code == 403
    missing = _post(_client(team), f"{API}/ceremonies", {**body, "project_ids": [999999]})
    assert missing.status_code == 404
    done = _post(_client(team), f"{API}/ceremonies", {**body, "project_ids": [ready.pk]})
    assert done.status_code == 201 and done.json()["project_ids"] == [ready.pk]
    figures = _client(team).get(f"{API}/figures").json()
    assert figures["signed_projects"] == 1
    assert _client(personas.town_officer).get(f"{API}/figures").status_code == 404
    assert _client(team).get(f"{API}/ceremonies").json()[0]["title"] == "集中签约仪式"
    client = _client(team)
    with starting_jobs():
        started = client.post(f"{API}/projects/export")
    job = accepted_job(client, started)
    assert job["state"] == "done" and job["kind"] == "investment.pipeline_export"
    assert job["total"] == job["done"] == Project.objects.count()
    sheet = load_workbook(io.BytesIO(client.get(job["result_url"]).content)).active
    assert {r[0] for r in list(sheet.iter_rows(values_only=True))[1:]} == set(
        Project.objects.values_list("name", flat=True)
    )
    assert _client(personas.town_officer).post(f"{API}/projects/export").status_code == 404


def test_every_project_route_is_404_out_of_sight(personas, team, other_login):
    project = factories.project(team)
    town = _client(personas.town_officer)
    other = _client(other_login)
    for client in (town, other):
        assert client.get(f"{API}/projects/{project.pk}").status_code == 404
        assert (
            _post(client, f"{API}/projects/{project.pk}/stage", {"stage": "contact"}).status_code
            == 404
        )
        body = {"held_at": "2020-02-20T10:00:00+08:00", "participants": "双方"}
        assert _post(client, f"{API}/projects/{project.pk}/meetings", body).status_code == 404
        docs = client.post(
            f"{API}/projects/{project.pk}/documents", {"title": "合同", "direction": "sent"}
        )
        assert docs.status_code == 404
        assert client.get(f"{API}/ceremonies").status_code == 404
    assert Project.objects.get(pk=project.pk).stage == Stage.LEAD


def test_the_project_list_costs_the_same_queries_for_one_row_or_many(team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(team)
    factories.project(team)
    client.get(f"{API}/projects")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(f"{API}/projects").json()) == 1
    for n in range(5):
        factories.project(team, name=f"项目{n}")
    with CaptureQueriesContext(connection) as six:
        assert len(client.get(f"{API}/projects").json()) == 6
    assert len(six) == len(one)
