"""/api/areas/households: keyset pages, scope, and writes by role."""

from __future__ import annotations

import pytest

from dualtrack.areas.models import Household
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.tests.helpers import JSON, problem_of


@pytest.fixture
def near(district, personas) -> list[Household]:
    """Five households in the cadre's village (its group)."""
    return [
        make_household(actor=personas.district_admin, area=district.group, address=f"艾溪路{n}号")
        for n in range(1, 6)
    ]


@pytest.fixture
def far(district, personas) -> Household:
    return make_household(actor=personas.district_admin, area=district.far_group)


# --- Reading -------------------------------------------------------------------------------------


def test_household_list_is_paged_by_keyset(as_user, near, far):
    client = as_user("district_admin")

    first = client.get("/api/areas/households?limit=4").json()
    second = client.get(f"/api/areas/households?limit=4&after={first['next_after']}").json()

    assert [h["id"] for h in first["items"]] == [h.pk for h in near[:4]]
    assert first["next_after"] == near[3].pk
    assert [h["id"] for h in second["items"]] == [near[4].pk, far.pk]
    assert second["next_after"] is None


def test_household_list_shows_a_cadre_only_their_village(as_user, near, far, district):
    items = as_user("village_cadre").get("/api/areas/households").json()["items"]

    assert [h["id"] for h in items] == [h.pk for h in near]
    assert items[0]["area"] == {
        "id": district.group.pk,
        "code": district.group.code,
        "name": "一组",
        "kind": "group",
    }
    assert items[0]["address"] == "艾溪路1号"


def test_household_list_under_an_area(as_user, near, far, district):
    client = as_user("commander")

    items = client.get(f"/api/areas/households?area={district.other_town.pk}").json()["items"]

    assert [h["id"] for h in items] == [far.pk]


def test_household_list_under_an_area_outside_scope_is_not_found(as_user, near, district):
    response = as_user("village_cadre").get(f"/api/areas/households?area={district.town.pk}")

    problem_of(response, 404, "not_found")


@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=201", "limit"), ("limit=0", "limit"), ("after=-1", "after"), ("area=一组", "area")],
)
def test_household_list_refuses_bad_paging_and_filters(as_user, district, query, field):
    response = as_user("district_admin").get(f"/api/areas/households?{query}")

    assert [e["field"] for e in problem_of(response, 422, "validation_failed")["errors"]] == [field]


def test_household_list_runs_a_fixed_number_of_queries(
    as_user, near, far, district, django_assert_max_num_queries
):
    client = as_user("town_officer")

    with django_assert_max_num_queries(5):
        response = client.get(f"/api/areas/households?area={district.village.pk}")

    assert len(response.json()["items"]) == 5


def test_a_household_in_scope_can_be_read(as_user, near):
    response = as_user("checkpoint_staff").get(f"/api/areas/households/{near[0].pk}")

    assert response.status_code == 200
    assert response.json()["number"] == near[0].number


@pytest.mark.parametrize("persona", ["village_cadre", "checkpoint_staff", "outsider"])
def test_a_household_outside_scope_reads_as_not_found(as_user, far, persona):
    problem_of(as_user(persona).get(f"/api/areas/households/{far.pk}"), 404, "not_found")


# --- Writing -------------------------------------------------------------------------------------


def test_a_cadre_registers_a_household_in_their_village(as_user, district):
    response = as_user("village_cadre").post(
        "/api/areas/households",
        {"area_id": district.group.pk, "number": "001", "address": "艾溪路9号"},
        JSON,
    )

    assert response.status_code == 201
    household = Household.objects.get(pk=response.json()["id"])
    assert (household.area, household.number, household.address) == (
        district.group,
        "001",
        "艾溪路9号",
    )


def test_checkpoint_staff_cannot_register_households(as_user, district):
    response = as_user("checkpoint_staff").post(
        "/api/areas/households", {"area_id": district.group.pk, "number": "1", "address": "x"}, JSON
    )

    problem_of(response, 403, "permission_denied")
    assert not Household.objects.exists()


def test_registering_in_an_area_outside_scope_names_the_area_as_not_found(as_user, district):
    response = as_user("village_cadre").post(
        "/api/areas/households",
        {"area_id": district.far_group.pk, "number": "1", "address": "x"},
        JSON,
    )

    assert [e["field"] for e in problem_of(response, 404, "not_found")["errors"]] == ["area_id"]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"area": "town"}, "area_kind_not_allowed", "area"),
        ({"number": ""}, "invalid_text", "number"),
        ({"address": "路" * 201}, "invalid_text", "address"),
        ({"number": "TAKEN"}, "number_taken", "number"),
        ({"number": 1}, "validation_failed", "number"),
    ],
    ids=["not a household area", "blank number", "address too long", "number taken", "wrong type"],
)
def test_registering_a_household_refuses_bad_input(as_user, district, personas, body, code, field):
    Household.objects.create(area=district.group, number="TAKEN", address="x")
    area = getattr(district, body.pop("area", "group"))
    payload = {"area_id": area.pk, "number": "002", "address": "艾溪路2号", **body}

    response = as_user("town_officer").post("/api/areas/households", payload, JSON)

    assert [e["field"] for e in problem_of(response, 422, code)["errors"]] == [field]
    assert Household.objects.count() == 1


def test_a_household_is_renumbered_and_readdressed(as_user, near):
    response = as_user("village_cadre").put(
        f"/api/areas/households/{near[0].pk}", {"number": "A-1", "address": "新地址"}, JSON
    )

    assert response.status_code == 200
    near[0].refresh_from_db()
    assert (near[0].number, near[0].address) == ("A-1", "新地址")


def test_changing_a_household_needs_people_rights_in_its_area(as_user, near, far):
    body = {"number": "X", "address": "Y"}

    problem_of(
        as_user("checkpoint_staff").put(f"/api/areas/households/{near[0].pk}", body, JSON),
        403,
        "permission_denied",
    )
    problem_of(
        as_user("village_cadre").put(f"/api/areas/households/{far.pk}", body, JSON),
        404,
        "not_found",
    )


def test_changing_a_household_to_a_taken_number_is_refused(as_user, near):
    response = as_user("village_cadre").put(
        f"/api/areas/households/{near[0].pk}", {"number": near[1].number, "address": "x"}, JSON
    )

    problem_of(response, 422, "number_taken")


def test_an_empty_household_is_removed(as_user, near):
    response = as_user("village_cadre").delete(f"/api/areas/households/{near[0].pk}")

    assert response.status_code == 204
    assert not Household.objects.filter(pk=near[0].pk).exists()


def test_a_household_with_residents_is_not_removed(as_user, near, personas):
    make_resident(actor=personas.district_admin, household=near[0])

    response = as_user("village_cadre").delete(f"/api/areas/households/{near[0].pk}")

    problem_of(response, 409, "household_not_empty")


@pytest.mark.parametrize(("persona", "status"), [("checkpoint_staff", 403), ("outsider", 404)])
def test_removing_a_household_needs_people_rights(as_user, near, persona, status):
    response = as_user(persona).delete(f"/api/areas/households/{near[0].pk}")

    assert response.status_code == status
    assert Household.objects.filter(pk=near[0].pk).exists()
