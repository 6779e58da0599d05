"""The front line's API: reviewing, rosters, the figures; bad input answered with problem+json
and nothing written; an id out of sight answered exactly as a missing one."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from dualtrack.core.models import User
from dualtrack.core.tests.helpers import comparable_problem, problem_of
from dualtrack.volunteers.models import DutyAssignment, Volunteer, VolunteerStatus
from dualtrack.volunteers.services import duties

pytestmark = pytest.mark.django_db

API = "/api/volunteers"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_a_village_approves_a_sign_up_and_the_login_sees_its_duty(
    sign_up, district, personas, shift
):
    pending = sign_up([district.village], name="钱志愿")
    cadre = _client(personas.village_cadre)
    listed = cadre.get(f"{API}/signups?status=pending").json()
    assert [v["id"] for v in listed["items"]] == [pending.pk]
    assert listed["items"][0]["id_number"] != pending.id_number
    approved = _post(cadre, f"{API}/signups/{pending.pk}/approve").json()
    assert approved["volunteer"]["status"] == "approved" and approved["initial_password"]
    duty = _post(cadre, f"{API}/shifts/{shift.pk}/duty", {"needed": 2}).json()
    put = _post(
        cadre,
        f"{API}/duties/{duty['id']}/assignments",
        {"person_kind": "volunteer", "person_id": pending.pk},
    )
    assert put.status_code == 201, put.content
    user = User.objects.get(username=approved["username"])
    assert user.check_password(approved["initial_password"])
    login = _client(user)
    mine = login.get(f"{API}/my-duties").json()
    assert [m["id"] for m in mine] == [put.json()["id"]]
    confirmed = _post(login, f"{API}/assignments/{mine[0]['id']}/confirm").json()
    assert confirmed["status"] == "confirmed"


def test_declining_without_a_reason_is_a_problem_and_writes_nothing(sign_up, district, personas):
    pending = sign_up([district.village])
    answer = _post(
        _client(personas.village_cadre), f"{API}/signups/{pending.pk}/decline", {"reason": ""}
    )
    body = problem_of(answer, 422, "invalid_text")
    assert body["errors"][0]["field"] == "reason"
    assert Volunteer.objects.get(pk=pending.pk).status == VolunteerStatus.PENDING


def test_an_overlapping_duty_is_a_conflict_with_its_reason(shift, volunteer, personas, district):
    cadre = _client(personas.village_cadre)
    duty = _post(cadre, f"{API}/shifts/{shift.pk}/duty").json()
    person = {"person_kind": "volunteer", "person_id": volunteer.pk}
    assert _post(cadre, f"{API}/duties/{duty['id']}/assignments", person).status_code == 201
    start = timezone.now()
    other = _post(
        cadre,
        f"{API}/duties",
        {
            "area_id": district.village.pk,
            "title": "上门测温",
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
            "needed": 2,
        },
    )
    assert other.status_code == 201, other.content
    answer = _post(cadre, f"{API}/duties/{other.json()['id']}/assignments", person)
    body = problem_of(answer, 409, "overlapping_duty")
    assert volunteer.name in body["detail"]
    assert DutyAssignment.objects.count() == 1


def test_an_id_out_of_sight_answers_as_a_missing_one(far_volunteer, far_shift, personas):
    cadre = _client(personas.village_cadre)
    for url in (f"{API}/signups/{{}}", f"{API}/signups/{{}}/approve"):
        out = (
            cadre.post(url.format(far_volunteer.pk))
            if "approve" in url
            else cadre.get(url.format(far_volunteer.pk))
        )
        missing = (
            cadre.post(url.format(999_999)) if "approve" in url else cadre.get(url.format(999_999))
        )
        assert comparable_problem(out) == comparable_problem(missing)
    out = _post(cadre, f"{API}/shifts/{far_shift.pk}/duty")
    missing = _post(cadre, f"{API}/shifts/999999/duty")
    assert comparable_problem(out) == comparable_problem(missing)


def test_the_roster_and_figures(shift, far_shift, volunteer, cadre, personas, district):
    duty = duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk, needed=3)
    assignment = duties.duty_assign(
        actor=personas.village_cadre, duty=duty, person_kind="volunteer", person_id=volunteer.pk
    )
    duties.duty_assign(
        actor=personas.village_cadre, duty=duty, person_kind="cadre", person_id=cadre.pk
    )
    duties.assignment_record(actor=personas.village_cadre, assignment=assignment, worked=True)
    town = _client(personas.town_officer)
    roster = town.get(f"{API}/roster?area={district.town.pk}").json()["items"]
    assert [e["shift_id"] for e in roster] == [shift.pk]
    assert roster[0]["people"] == 2 and roster[0]["short"] is True
    assert {a["name"] for a in roster[0]["assignments"]} == {volunteer.name, cadre.name}
    figures = _client(personas.district_admin).get(f"{API}/figures").json()
    by_town = {f["town"]["id"]: f for f in figures}
    assert by_town[district.town.pk] == {
        "town": by_town[district.town.pk]["town"],
        "on_duty": 2,
        "volunteers_on_duty": 1,
        "hours": 8.0,
        "gaps": 1,
    }
    assert by_town[district.other_town.pk]["gaps"] == 1  # its shift has nobody
    assert by_town[district.other_town.pk]["on_duty"] == 0
    assert [f["town"]["id"] for f in town.get(f"{API}/figures").json()] == [district.town.pk]


def test_list_endpoints_have_bounded_queries(
    sign_up, district, personas, django_assert_max_num_queries
):
    for i in range(5):
        sign_up([district.village, district.sibling_village], name=f"志愿{i}")
    client = _client(personas.town_officer)
    with django_assert_max_num_queries(8):
        assert len(client.get(f"{API}/signups").json()["items"]) == 5
    with django_assert_max_num_queries(6):
        client.get(f"{API}/branches")
