"""Every representation of the pipeline's access rule gives the same answer on the same rows:
for each persona, the queryset, the selector, the API (list and detail) and the page agree on
which projects they see; the check, the service, the API and the page agree on who moves one."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from dualtrack.core.tests.helpers import cast, tried
from dualtrack.investment import access, selectors
from dualtrack.investment.services import pipeline

from . import factories

pytestmark = pytest.mark.django_db

API = "/api/investment"


@pytest.fixture
def everyone(personas, team, local_login, other_login):
    return cast(personas, team=team, local=local_login, other_enterprise=other_login)


@pytest.fixture
def projects(team, local_company):
    return [
        factories.project(team, local_company=local_company),
        factories.project(team, name="新能源电池基地"),
    ]


def test_who_sees_which_project(everyone, projects):
    seen: dict[str, set[int]] = {}
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        answer = client.get(f"{API}/projects")
        listed = {p["id"] for p in answer.json()} if answer.status_code == 200 else set()
        for project in projects:
            by_query = access.projects_visible(user).filter(pk=project.pk).exists()
            by_row = access.may_see_project(user, project)
            by_selector = tried(
                lambda u=user, p=project: selectors.project_get_for(user=u, project_id=p.pk)
            )
            by_api = client.get(f"{API}/projects/{project.pk}").status_code == 200
            by_page = client.get(f"/investment/projects/{project.pk}/").status_code == 200
            answers = {by_query, by_row, by_selector, by_api, by_page, project.pk in listed}
            assert len(answers) == 1, (name, project.pk, answers)
            if by_query:
                seen.setdefault(name, set()).add(project.pk)
    local, other = (p.pk for p in projects)
    assert seen["district_admin"] == seen["commander"] == seen["team"] == {local, other}
    assert seen["local"] == {local}
    assert (
        not {"town_officer", "village_cadre", "checkpoint_staff", "outsider", "other_enterprise"}
        & seen.keys()
    )


def test_who_moves_a_project(everyone, projects):
    step = {"stage": "contact", "next_step": "视频洽谈", "next_step_on": "", "note": ""}
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        for project in projects:
            by_row = access.may_keep_project(user, project)
            by_service = tried(
                lambda u=user, p=project: pipeline.project_advance(
                    actor=u, project=p, stage="contact"
                )
            )
            with transaction.atomic():
                by_api = client.post(
                    f"{API}/projects/{project.pk}/stage",
                    {"stage": "contact"},
                    content_type="application/json",
                )
                transaction.set_rollback(True)
            with transaction.atomic():
                by_page = client.post(f"/investment/projects/{project.pk}/stage/", step)
                transaction.set_rollback(True)
            assert by_row == by_service == (by_api.status_code == 200), (name, project.pk)
            assert by_row == (by_page.status_code == 302), (name, project.pk)
            expected = 200 if by_row else (403 if access.may_see_project(user, project) else 404)
            assert by_api.status_code == expected, (name, project.pk)
