"""The pages that found a branch and add its members, form and change a commando team and
send a cadre down: saved through the services, a refusal shown on the form (also to htmx)
with nothing written, a record out of the user's area refused."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from dualtrack.volunteers.models import BranchMember, BranchSite, CommandoTeam, Deployment
from dualtrack.volunteers.services import frontline

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_village_founds_a_branch_and_names_one_secretary(personas, district, gate):
    cadre = _client(personas.village_cadre)
    assert cadre.get("/volunteers/branches/new/").status_code == 200
    founded = cadre.post(
        "/volunteers/branches/new/",
        {
            "area": district.village.pk,
            "name": "艾溪村东口临时党支部",
            "site": BranchSite.CHECKPOINT,
            "checkpoint_id": gate.pk,
            "founded_on": "2020-01-28",
        },
        **HTMX,
    )
    assert founded.status_code == 302, founded.content.decode()
    branch_url = founded["Location"]
    member = {"name": "周书记", "is_secretary": "on", "zone_kind": "gate", "zone": "东口"}
    assert cadre.post(f"{branch_url}members/new/", member).status_code == 302
    second = cadre.post(f"{branch_url}members/new/", {**member, "name": "吴党员"}, **HTMX)
    assert second.status_code == 422
    assert "该支部已有书记" in second.content.decode()  # the refusal, in Chinese
    assert list(BranchMember.objects.values_list("name", flat=True)) == ["周书记"]


def test_a_team_is_changed_and_a_period_ending_before_it_starts_is_refused(personas, district):
    cadre = personas.village_cadre
    team = frontline.team_create(
        actor=cadre,
        area=district.village,
        name="突击队",
        leader="郑队长",
        members=["甲"],
        task="卡点值守",
        starts_on=datetime.date(2020, 1, 28),
    )
    client = _client(cadre)
    url = f"/volunteers/teams/{team.pk}/edit/"
    form = {
        "area": district.village.pk,
        "name": "突击队",
        "leader": "郑队长",
        "members": "甲\n乙\n",
        "task": "物资配送",
        "starts_on": "2020-01-28",
        "ends_on": "2020-02-20",
    }
    assert client.post(url, form).status_code == 302
    team.refresh_from_db()
    assert team.member_names == ["甲", "乙"] and team.task == "物资配送"
    bad = client.post(url, {**form, "task": "别的", "ends_on": "2020-01-01"}, **HTMX)
    assert bad.status_code == 422 and 'id="id_ends_on_error"' in bad.content.decode()
    assert CommandoTeam.objects.get().task == "物资配送"


def test_a_deployment_out_of_the_users_area_is_not_found(personas, district, cadre):
    far = frontline.deployment_create(
        actor=personas.district_admin,
        cadre_id=cadre.pk,
        area=district.far_village,
        task="入户排查",
        starts_on=datetime.date(2020, 1, 28),
    )
    client = _client(personas.village_cadre)
    assert client.get(f"/volunteers/deployments/{far.pk}/edit/").status_code == 404
    form = {
        "cadre_id": cadre.pk,
        "area": district.village.pk,
        "task": "x",
        "starts_on": "2020-02-01",
    }
    assert client.post(f"/volunteers/deployments/{far.pk}/edit/", form).status_code == 404
    assert _client(personas.outsider).get("/volunteers/deployments/new/").status_code == 404
    assert Deployment.objects.get().task == "入户排查"


def test_the_deployment_forms_cadre_select_reads_only_what_it_shows(personas, district, cadre):
    """A district's thousands of cadres: the select reads their ids, names and areas' names,
    not their encrypted phones (decrypted row by row) or the rest of the rows; its statements
    do not grow with the cadres."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dualtrack.areas.models import Cadre, CadreOrigin

    client = _client(personas.town_officer)

    def form() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/volunteers/deployments/new/")
        assert page.status_code == 200
        return page.content.decode(), [q["sql"] for q in queries.captured_queries]

    page, few = form()
    assert f'<option value="{cadre.pk}">张干部 · {district.village.name}</option>' in page
    for i in range(3):
        Cadre.objects.create(
            name=f"李干部{i}",
            origin=CadreOrigin.TOWN_VILLAGE,
            area=district.sibling_village,
            phone="13800138000",
        )
    page, more = form()
    assert f"李干部2 · {district.sibling_village.name}</option>" in page
    assert len(more) == len(few)
    reads = [sql for sql in more if 'FROM "areas_cadre"' in sql]
    assert reads and not any('"phone"' in sql for sql in reads)


def test_the_new_deployment_form_names_no_cadre_until_one_is_chosen(personas, district, cadre):
    """The cadre select opens on a blank choice, and a form sent without a cadre is refused
    on that field: it opened on the first cadre listed, who was sent down when the field was
    passed over."""
    client = _client(personas.town_officer)
    page = client.get("/volunteers/deployments/new/").content.decode()
    select = page[
        page.index('name="cadre_id"') : page.index("</select>", page.index('name="cadre_id"'))
    ]
    assert '<option value="" selected>—</option>' in select
    assert f'<option value="{cadre.pk}">' in select
    form = {"area": district.village.pk, "task": "入户排查", "starts_on": "2020-02-01"}
    refused = client.post("/volunteers/deployments/new/", form, **HTMX)
    assert refused.status_code == 422 and 'id="id_cadre_id_error"' in refused.content.decode()
    assert not Deployment.objects.exists()
