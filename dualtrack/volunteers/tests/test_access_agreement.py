"""Every representation of the front line's access rule gives the same answer on the same rows:
for each persona, the queryset, the per-row check, the selector, the API (list and detail) and
the page (detail) agree on which branches, teams, deployments, volunteers and duties they see;
the per-row check, the service and the API agree on who puts people on a shift."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from dualtrack.core.tests.helpers import cast, tried
from dualtrack.volunteers import access, selectors
from dualtrack.volunteers.services import duties, frontline

pytestmark = pytest.mark.django_db

API = "/api/volunteers"


@pytest.fixture
def everyone(personas, volunteer, far_volunteer):
    return cast(personas, volunteer=volunteer.user, far_volunteer=far_volunteer.user)


@pytest.fixture
def records(personas, district, shift, far_shift, volunteer, far_volunteer, cadre):
    admin = personas.district_admin
    day = datetime.date(2020, 1, 28)
    rows: dict[str, list[Any]] = {"branch": [], "team": [], "deployment": [], "duty": []}
    for area, gate_shift, person in (
        (district.village, shift, volunteer),
        (district.far_village, far_shift, far_volunteer),
    ):
        rows["branch"].append(
            frontline.branch_found(
                actor=admin, area=area, name="临时党支部", site="community", founded_on=day
            )
        )
        rows["team"].append(
            frontline.team_create(
                actor=admin,
                area=area,
                name="突击队",
                leader="刘队长",
                members=["甲", "乙"],
                task="物资配送",
                starts_on=day,
            )
        )
        rows["deployment"].append(
            frontline.deployment_create(
                actor=admin, cadre_id=cadre.pk, area=area, task="卡点值守", starts_on=day
            )
        )
        duty = duties.duty_for_shift(actor=admin, shift_id=gate_shift.pk)
        duties.duty_assign(actor=admin, duty=duty, person_kind="volunteer", person_id=person.pk)
        rows["duty"].append(duty)
    rows["volunteer"] = [volunteer, far_volunteer]
    return rows


CHECKS: dict[str, tuple[Callable[..., Any], Callable[..., bool], Callable[..., Any], str, str]] = {
    "branch": (
        access.branches_visible,
        lambda u, r: access.may_see_area(u, r.area),
        lambda u, r: selectors.branch_get_for(user=u, branch_id=r.pk),
        "branches",
        "branches",
    ),
    "team": (
        access.teams_visible,
        lambda u, r: access.may_see_area(u, r.area),
        lambda u, r: selectors.team_get_for(user=u, team_id=r.pk),
        "teams",
        "teams",
    ),
    "deployment": (
        access.deployments_visible,
        lambda u, r: access.may_see_area(u, r.area),
        lambda u, r: selectors.deployment_get_for(user=u, deployment_id=r.pk),
        "deployments",
        "deployments",
    ),
    "volunteer": (
        access.volunteers_visible,
        access.may_see_volunteer,
        lambda u, r: selectors.volunteer_get_for(user=u, volunteer_id=r.pk),
        "signups",
        "signups",
    ),
    "duty": (
        access.duties_visible,
        access.may_see_duty,
        lambda u, r: selectors.duty_get_for(user=u, duty_id=r.pk),
        "duties",
        "duties",
    ),
}


def test_who_sees_what(everyone, records):
    seen: dict[tuple[str, str], set[int]] = {}
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        for kind, (query, row, selector, api, page) in CHECKS.items():
            listed = None
            if kind != "duty":
                listed = {r["id"] for r in client.get(f"{API}/{api}").json().get("items", [])}
            for record in records[kind]:
                by_query = query(user).filter(pk=record.pk).exists()
                by_row = row(user, record)
                by_selector = tried(lambda s=selector, u=user, r=record: s(u, r))
                by_api = client.get(f"{API}/{api}/{record.pk}").status_code == 200
                by_page = client.get(f"/volunteers/{page}/{record.pk}/").status_code == 200
                answers = {by_query, by_row, by_selector, by_api, by_page}
                if listed is not None:
                    answers.add(record.pk in listed)
                assert len(answers) == 1, (name, kind, record.pk)
                if by_query:
                    seen.setdefault((name, kind), set()).add(record.pk)
    near, far = (r.pk for r in records["duty"])
    assert seen[("district_admin", "duty")] == seen[("commander", "duty")] == {near, far}
    assert seen[("town_officer", "duty")] == seen[("village_cadre", "duty")] == {near}
    assert seen[("volunteer", "duty")] == {near} and seen[("far_volunteer", "duty")] == {far}
    assert ("volunteer", "branch") not in seen and ("checkpoint_staff", "duty") not in seen
    assert seen[("volunteer", "volunteer")] == {records["volunteer"][0].pk}
    assert not any(name == "outsider" for name, _kind in seen)


def test_who_puts_people_on_a_shift(everyone, shift, far_shift):
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        for gate_shift in (shift, far_shift):
            area = gate_shift.checkpoint.area
            by_row = access.may_see_area(user, area) and access.may_manage(user, area)
            by_service = tried(
                lambda u=user, s=gate_shift: duties.duty_for_shift(actor=u, shift_id=s.pk)
            )
            with transaction.atomic():
                answer = client.post(
                    f"{API}/shifts/{gate_shift.pk}/duty", "{}", content_type="application/json"
                )
                transaction.set_rollback(True)
            assert by_row == by_service == (answer.status_code == 200), name
            expected = 200 if by_row else (403 if access.may_see_area(user, area) else 404)
            assert answer.status_code == expected, (name, gate_shift.pk)
