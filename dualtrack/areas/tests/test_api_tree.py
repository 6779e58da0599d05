"""/api/areas: reading and writing the district tree through the API, inside and outside scope."""

from __future__ import annotations

import pytest

from dualtrack.areas.models import Area
from dualtrack.areas.tests.factories import make_household
from dualtrack.core.models import AuditAction, AuditEntry
from dualtrack.core.tests.helpers import problem_of

# --- Reading -------------------------------------------------------------------------------------


def test_area_list_shows_a_town_officer_their_town_in_tree_order(as_user, district):
    response = as_user("town_officer").get("/api/areas")

    assert response.status_code == 200
    assert [a["name"] for a in response.json()] == ["昌东镇", "艾溪村", "一组", "南山村"]


def test_area_list_shows_the_children_of_a_parent(as_user, district):
    response = as_user("district_admin").get(f"/api/areas?parent={district.town.pk}")

    assert [(a["name"], a["kind"], a["parent_id"]) for a in response.json()] == [
        ("艾溪村", "village", district.town.pk),
        ("南山村", "village", district.town.pk),
    ]


def test_area_list_filters_by_kind(as_user, district):
    response = as_user("commander").get("/api/areas?kind=town")

    assert [a["name"] for a in response.json()] == ["昌东镇", "麻丘镇"]
    assert response.json()[0]["official_code"] == "360192100"


def test_area_list_with_a_parent_outside_scope_is_not_found(as_user, district):
    response = as_user("village_cadre").get(f"/api/areas?parent={district.other_town.pk}")

    problem_of(response, 404, "not_found")


def test_area_list_refuses_an_unknown_kind(as_user, district):
    response = as_user("district_admin").get("/api/areas?kind=province")

    assert problem_of(response, 422, "validation_failed")["errors"][0]["field"] == "kind"


def test_area_list_of_an_outsider_is_empty(as_user, district):
    assert as_user("outsider").get("/api/areas").json() == []


def test_area_list_runs_a_fixed_number_of_queries(as_user, district, django_assert_max_num_queries):
    client = as_user("district_admin")

    with django_assert_max_num_queries(4):
        response = client.get("/api/areas")

    assert len(response.json()) == Area.objects.count() == 8


def test_an_area_in_scope_can_be_read(as_user, district):
    response = as_user("checkpoint_staff").get(f"/api/areas/{district.group.pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": district.group.pk,
        "parent_id": district.village.pk,
        "kind": "group",
        "code": district.group.code,
        "official_code": "",
        "name": "一组",
    }


@pytest.mark.parametrize(
    ("persona", "area"),
    [("town_officer", "far_village"), ("village_cadre", "town"), ("outsider", "root")],
)
def test_an_area_outside_scope_reads_as_not_found(as_user, district, persona, area):
    response = as_user(persona).get(f"/api/areas/{getattr(district, area).pk}")

    problem_of(response, 404, "not_found")


# --- Writing -------------------------------------------------------------------------------------


def test_district_admin_adds_a_village_under_a_town(as_user, district):
    response = as_user("district_admin").post(
        "/api/areas",
        {"parent_id": district.town.pk, "kind": "village", "name": "新村", "official_code": ""},
        content_type="application/json",
    )

    assert response.status_code == 201
    created = Area.objects.get(pk=response.json()["id"])
    assert (created.parent, created.name, created.code) == (district.town, "新村", "GX01003")
    assert response.json()["code"] == "GX01003"
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_id=str(created.pk)).exists()


def test_a_role_without_tree_rights_cannot_add_areas_in_its_scope(as_user, district):
    response = as_user("town_officer").post(
        "/api/areas",
        {"parent_id": district.town.pk, "kind": "village", "name": "新村"},
        content_type="application/json",
    )

    problem_of(response, 403, "permission_denied")
    assert not Area.objects.filter(name="新村").exists()


def test_adding_under_a_parent_outside_scope_names_the_parent_as_not_found(as_user, district):
    response = as_user("town_officer").post(
        "/api/areas",
        {"parent_id": district.other_town.pk, "kind": "village", "name": "新村"},
        content_type="application/json",
    )

    errors = problem_of(response, 404, "not_found")["errors"]
    assert [e["field"] for e in errors] == ["parent_id"]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"kind": "group"}, "kind_not_allowed", "kind"),
        ({"kind": "province"}, "validation_failed", "kind"),
        ({"name": "  "}, "name_required", "name"),
        ({"name": "艾溪村"}, "name_taken", "name"),
        ({"official_code": "3601"}, "official_code_format", "official_code"),
        ({"official_code": "360192100"}, "official_code_taken", "official_code"),
        ({"parent_id": "昌东镇"}, "validation_failed", "parent_id"),
    ],
    ids=[
        "kind not allowed here",
        "unknown kind",
        "blank name",
        "name taken",
        "bad official code",
        "official code taken",
        "wrong type",
    ],
)
def test_adding_an_area_refuses_bad_input_field_by_field(as_user, district, body, code, field):
    payload = {"parent_id": district.town.pk, "kind": "village", "name": "新村", **body}

    response = as_user("district_admin").post(
        "/api/areas", payload, content_type="application/json"
    )

    problem = problem_of(response, 422, code)
    assert [e["field"] for e in problem["errors"]] == [field]
    assert not Area.objects.filter(name="新村").exists()


def test_district_admin_renames_an_area_and_sets_its_official_code(as_user, district):
    response = as_user("district_admin").put(
        f"/api/areas/{district.village.pk}",
        {"name": "艾溪湖村", "official_code": "360192100201"},
        content_type="application/json",
    )

    assert response.status_code == 200
    district.village.refresh_from_db()
    assert (district.village.name, district.village.official_code) == ("艾溪湖村", "360192100201")


def test_renaming_outside_scope_is_not_found_and_in_scope_without_rights_is_refused(
    as_user, district
):
    body = {"name": "改名"}
    client = as_user("town_officer")

    outside = client.put(f"/api/areas/{district.far_village.pk}", body, "application/json")
    inside = client.put(f"/api/areas/{district.village.pk}", body, "application/json")

    problem_of(outside, 404, "not_found")
    problem_of(inside, 403, "permission_denied")
    assert not Area.objects.filter(name="改名").exists()


def test_an_empty_area_can_be_removed(as_user, district):
    response = as_user("district_admin").delete(f"/api/areas/{district.far_group.pk}")

    assert response.status_code == 204
    assert not Area.objects.filter(pk=district.far_group.pk).exists()


def test_an_area_holding_households_cannot_be_removed(as_user, district, personas):
    make_household(actor=personas.district_admin, area=district.group)

    response = as_user("district_admin").delete(f"/api/areas/{district.group.pk}")

    problem_of(response, 409, "area_not_empty")


def test_the_district_cannot_be_removed(as_user, district):
    problem_of(
        as_user("district_admin").delete(f"/api/areas/{district.root.pk}"), 409, "root_protected"
    )


@pytest.mark.parametrize(("persona", "status"), [("village_cadre", 403), ("outsider", 404)])
def test_removing_needs_tree_rights_over_the_area(as_user, district, persona, status):
    response = as_user(persona).delete(f"/api/areas/{district.group.pk}")

    assert response.status_code == status
    assert Area.objects.filter(pk=district.group.pk).exists()
