"""/api/areas/role-grants: who may do what where, managed by district administrators."""

from __future__ import annotations

import pytest

from dualtrack.areas.models import OrgUnitKind, Role, RoleGrant
from dualtrack.areas.services.organisation import org_unit_create
from dualtrack.core.models import User
from dualtrack.core.tests.helpers import JSON, problem_of

URL = "/api/areas/role-grants"


@pytest.fixture
def newcomer(db) -> User:
    return User.objects.create_user(username="newcomer", password="x", display_name="新同志")


def test_district_admin_lists_every_grant_by_keyset(
    as_user, personas, django_assert_max_num_queries
):
    client = as_user("district_admin")
    grants = list(RoleGrant.objects.order_by("pk"))

    with django_assert_max_num_queries(4):
        first = client.get(f"{URL}?limit=4").json()
    second = client.get(f"{URL}?limit=4&after={first['next_after']}").json()

    assert [g["id"] for g in first["items"] + second["items"]] == [g.pk for g in grants]
    assert len(grants) == 5
    assert second["next_after"] is None
    town = next(g for g in first["items"] if g["role"] == "town_officer")
    assert town["user"] == {
        "id": personas.town_officer.pk,
        "username": "town",
        "display_name": "town",
    }
    assert town["area"]["name"] == "昌东镇"


def test_grants_of_one_user(as_user, personas):
    items = as_user("district_admin").get(f"{URL}?user={personas.village_cadre.pk}").json()

    assert [(g["role"], g["area"]["name"]) for g in items["items"]] == [("village_cadre", "艾溪村")]


@pytest.mark.parametrize("persona", ["commander", "town_officer", "outsider"])
def test_roles_that_manage_no_organisation_see_no_grants(as_user, persona):
    assert as_user(persona).get(URL).json() == {"items": [], "next_after": None}


def test_district_admin_grants_a_role_and_the_user_sees_its_area(
    as_user, client, district, newcomer
):
    response = as_user("district_admin").post(
        URL,
        {"user_id": newcomer.pk, "role": "town_officer", "area_id": district.other_town.pk},
        JSON,
    )

    assert response.status_code == 201
    assert response.json()["area"]["id"] == district.other_town.pk
    client.force_login(newcomer)
    assert [a["name"] for a in client.get("/api/areas?kind=town").json()] == ["麻丘镇"]


def test_working_group_staff_are_granted_with_their_group(as_user, district, personas, newcomer):
    group = org_unit_create(
        actor=personas.district_admin,
        kind=OrgUnitKind.WORKING_GROUP,
        name="物资保障组",
        area=district.root,
    )
    body = {"user_id": newcomer.pk, "role": "working_group", "area_id": district.root.pk}
    client = as_user("district_admin")

    without = client.post(URL, body, JSON)
    with_group = client.post(URL, {**body, "org_unit_id": group.pk}, JSON)

    assert [e["field"] for e in problem_of(without, 422, "group_required")["errors"]] == [
        "org_unit"
    ]
    assert with_group.status_code == 201
    assert with_group.json()["org_unit_id"] == group.pk


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"area": "village"}, 422, "area_kind_not_allowed", "area"),
        ({"role": "mayor"}, 422, "validation_failed", "role"),
        ({"user_id": 999999}, 404, "not_found", "user_id"),
        ({"org_unit_id": 999999}, 404, "not_found", "org_unit_id"),
        ({"user_id": "newcomer"}, 422, "validation_failed", "user_id"),
    ],
    ids=["area of the wrong kind", "unknown role", "no user", "no org unit", "wrong type"],
)
def test_granting_refuses_bad_input(as_user, district, newcomer, body, status, code, field):
    area = getattr(district, body.pop("area", "town"))
    payload = {"user_id": newcomer.pk, "role": "town_officer", "area_id": area.pk, **body}

    response = as_user("district_admin").post(URL, payload, JSON)

    assert [e["field"] for e in problem_of(response, status, code)["errors"]] == [field]
    assert not RoleGrant.objects.filter(user=newcomer).exists()


def test_a_role_is_granted_over_an_area_once(as_user, district, personas):
    body = {
        "user_id": personas.town_officer.pk,
        "role": "town_officer",
        "area_id": district.town.pk,
    }

    problem_of(as_user("district_admin").post(URL, body, JSON), 409, "grant_exists")


def test_a_commander_cannot_grant_roles_the_accounts_are_out_of_sight(as_user, district, newcomer):
    body = {"user_id": newcomer.pk, "role": "town_officer", "area_id": district.town.pk}

    response = as_user("commander").post(URL, body, JSON)

    assert [e["field"] for e in problem_of(response, 404, "not_found")["errors"]] == ["user_id"]
    assert not RoleGrant.objects.filter(user=newcomer).exists()


def test_district_admin_revokes_a_grant_and_the_user_loses_its_scope(
    as_user, client, personas, district
):
    grant = RoleGrant.objects.get(user=personas.village_cadre)

    response = as_user("district_admin").delete(f"{URL}/{grant.pk}")

    assert response.status_code == 204
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    client.force_login(personas.village_cadre)
    problem_of(client.get(f"/api/areas/{district.village.pk}"), 404, "not_found")


@pytest.mark.parametrize("persona", ["commander", "town_officer"])
def test_revoking_needs_organisation_rights(as_user, personas, persona):
    grant = RoleGrant.objects.get(user=personas.village_cadre, role=Role.VILLAGE_CADRE)

    problem_of(as_user(persona).delete(f"{URL}/{grant.pk}"), 404, "not_found")
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
