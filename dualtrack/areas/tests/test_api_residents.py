"""/api/areas/residents: masked lists and records, writes by role, and the audited reveal."""

from __future__ import annotations

import pytest
from django.test import Client

from dualtrack.areas.models import Household, Resident
from dualtrack.areas.tests.factories import (
    make_household,
    make_id_number,
    make_resident,
)
from dualtrack.core.models import AuditAction, AuditEntry
from dualtrack.core.services import api_token_create
from dualtrack.core.tests.helpers import JSON, problem_of


@pytest.fixture
def near_household(district, personas) -> Household:
    return make_household(actor=personas.district_admin, area=district.group)


@pytest.fixture
def far_household(district, personas) -> Household:
    return make_household(actor=personas.district_admin, area=district.far_group)


@pytest.fixture
def wang(personas, near_household) -> Resident:
    return make_resident(
        actor=personas.district_admin, household=near_household, name="王芳", phone="13912345678"
    )


@pytest.fixture
def zhao(personas, far_household) -> Resident:
    return make_resident(actor=personas.district_admin, household=far_household, name="赵敏")


def _reveals() -> int:
    return AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).count()


# --- Masked reading ------------------------------------------------------------------------------


def test_resident_list_masks_id_numbers_and_phones(as_user, wang):
    response = as_user("village_cadre").get("/api/areas/residents")

    item = response.json()["items"][0]
    assert item["id_number_masked"] == wang.id_number[:4] + "*" * 10 + wang.id_number[-4:]
    assert item["phone_masked"] == "139****5678"
    assert wang.id_number not in response.content.decode()
    assert "13912345678" not in response.content.decode()
    assert _reveals() == 0


def test_a_resident_record_is_masked_too(as_user, wang, district):
    response = as_user("village_cadre").get(f"/api/areas/residents/{wang.pk}")

    body = response.json()
    assert body["phone_masked"] == "139****5678"
    assert "id_number" not in body and "phone" not in body
    assert (body["name"], body["gender"], body["relation"], body["residence"]) == (
        "王芳",
        wang.gender,
        "other",
        "registered",
    )
    assert body["area"]["id"] == district.group.pk
    assert body["household_id"] == wang.household_id


def test_resident_list_shows_each_role_its_own_scope(as_user, wang, zhao):
    assert [
        r["name"] for r in as_user("town_officer").get("/api/areas/residents").json()["items"]
    ] == ["王芳"]
    assert [
        r["name"] for r in as_user("commander").get("/api/areas/residents").json()["items"]
    ] == ["王芳", "赵敏"]
    assert as_user("outsider").get("/api/areas/residents").json()["items"] == []


def test_resident_list_searches_by_name_and_by_whole_id_number(as_user, wang, zhao):
    client = as_user("district_admin")

    by_name = client.get("/api/areas/residents?q=赵").json()["items"]
    by_id = client.get(f"/api/areas/residents?q={wang.id_number}").json()["items"]
    by_phone = client.get("/api/areas/residents?q=13912345678").json()["items"]

    assert [r["id"] for r in by_name] == [zhao.pk]
    assert [r["id"] for r in by_id] == [wang.pk]
    assert [r["id"] for r in by_phone] == [wang.pk]


def test_resident_list_of_a_household(as_user, personas, near_household, wang):
    other = make_household(actor=personas.district_admin, area=near_household.area)
    make_resident(actor=personas.district_admin, household=other)

    items = (
        as_user("village_cadre")
        .get(f"/api/areas/residents?household={near_household.pk}")
        .json()["items"]
    )

    assert [r["id"] for r in items] == [wang.pk]


def test_resident_list_is_paged_by_keyset_in_bounded_queries(
    as_user, personas, near_household, django_assert_max_num_queries
):
    residents = [
        make_resident(actor=personas.district_admin, household=near_household) for _ in range(7)
    ]
    client = as_user("village_cadre")

    with django_assert_max_num_queries(4):
        first = client.get("/api/areas/residents?limit=5").json()
    second = client.get(f"/api/areas/residents?limit=5&after={first['next_after']}").json()

    assert [r["id"] for r in first["items"]] == [r.pk for r in residents[:5]]
    assert [r["id"] for r in second["items"]] == [r.pk for r in residents[5:]]
    assert second["next_after"] is None


def test_resident_list_under_an_area_outside_scope_is_not_found(as_user, district):
    response = as_user("village_cadre").get(f"/api/areas/residents?area={district.far_group.pk}")

    problem_of(response, 404, "not_found")


@pytest.mark.parametrize("persona", ["village_cadre", "town_officer", "outsider"])
def test_a_resident_outside_scope_reads_as_not_found(as_user, zhao, persona):
    problem_of(as_user(persona).get(f"/api/areas/residents/{zhao.pk}"), 404, "not_found")


# --- The audited reveal --------------------------------------------------------------------------


def test_a_cadre_reveals_a_residents_personal_data_and_the_view_is_audited(as_user, personas, wang):
    response = as_user("village_cadre").post(
        f"/api/areas/residents/{wang.pk}/reveal", {"reason": "电话随访"}, JSON
    )

    assert response.status_code == 200
    assert response.json() == {"id": wang.pk, "id_number": wang.id_number, "phone": "13912345678"}
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action=AuditAction.VIEW_PERSONAL_DATA)
    assert (entry.actor, entry.target_id, entry.note) == (
        personas.village_cadre,
        str(wang.pk),
        "电话随访",
    )


def test_a_role_without_personal_data_rights_is_refused_the_reveal(as_user, wang):
    response = as_user("town_officer").post(f"/api/areas/residents/{wang.pk}/reveal", {}, JSON)

    problem_of(response, 403, "permission_denied")
    assert wang.id_number not in response.content.decode()
    assert _reveals() == 0


def test_a_reveal_outside_scope_is_not_found(as_user, zhao):
    response = as_user("village_cadre").post(f"/api/areas/residents/{zhao.pk}/reveal", {}, JSON)

    problem_of(response, 404, "not_found")
    assert _reveals() == 0


def test_a_reveal_reason_is_at_most_300_characters(as_user, wang):
    response = as_user("village_cadre").post(
        f"/api/areas/residents/{wang.pk}/reveal", {"reason": "x" * 301}, JSON
    )

    assert problem_of(response, 422, "validation_failed")["errors"] == [
        {"field": "reason", "message": "最多 300 个字符。"}
    ]


# --- Creating ------------------------------------------------------------------------------------


def test_a_town_officer_registers_a_resident_and_sees_the_record_masked(as_user, near_household):
    id_number = make_id_number(birth="19850312", male=False)

    response = as_user("town_officer").post(
        "/api/areas/residents",
        {
            "household_id": near_household.pk,
            "name": "李娜",
            "id_number": id_number,
            "phone": "139-1234-0000",
            "relation": "spouse",
        },
        JSON,
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["gender"], body["birth_year"], body["phone_masked"]) == (
        "F",
        1985,
        "139****0000",
    )
    assert "birth_date" not in body and "1985-03-12" not in response.content.decode()
    assert id_number not in response.content.decode()
    resident = Resident.objects.get(pk=body["id"])
    assert (resident.id_number, resident.phone, resident.relation) == (
        id_number,
        "13912340000",
        "spouse",
    )


def test_checkpoint_staff_cannot_register_residents(as_user, near_household):
    response = as_user("checkpoint_staff").post(
        "/api/areas/residents",
        {"household_id": near_household.pk, "name": "李娜", "id_number": make_id_number()},
        JSON,
    )

    problem_of(response, 403, "permission_denied")


def test_registering_into_a_household_outside_scope_names_it_as_not_found(as_user, far_household):
    response = as_user("village_cadre").post(
        "/api/areas/residents",
        {"household_id": far_household.pk, "name": "李娜", "id_number": make_id_number()},
        JSON,
    )

    assert [e["field"] for e in problem_of(response, 404, "not_found")["errors"]] == [
        "household_id"
    ]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"id_number": "360122199001010010"}, [("id_number", "身份证号校验位错误。")]),
        (
            {"id_number": "36012219900101"},
            [("id_number", "身份证号为 18 位：17 位数字加 1 位数字或 X。")],
        ),
        ({"phone": "12345"}, [("phone", "手机号为 11 位数字，以 13 至 19 开头。")]),
        (
            {"name": "", "phone": "02388888888"},
            [("name", "请输入居民姓名。"), ("phone", "手机号为 11 位数字，以 13 至 19 开头。")],
        ),
        (
            {"relation": "cousin"},
            [("relation", "请从以下选项中选择：'head', 'spouse', 'child', 'parent' or 'other'。")],
        ),
        ({"household_id": [1]}, [("household_id", "请输入整数。")]),
    ],
    ids=[
        "bad ID check character",
        "short ID number",
        "bad phone",
        "every bad field at once",
        "unknown relation",
        "wrong type",
    ],
)
def test_registering_a_resident_refuses_bad_input_field_by_field(
    as_user, near_household, body, errors
):
    payload = {
        "household_id": near_household.pk,
        "name": "李娜",
        "id_number": make_id_number(),
        **body,
    }

    response = as_user("village_cadre").post("/api/areas/residents", payload, JSON)

    problem = problem_of(response, 422, "validation_failed")
    assert [(e["field"], e["message"]) for e in problem["errors"]] == errors
    assert not Resident.objects.exists()


def test_a_bad_id_number_is_explained_in_english_to_an_english_client(personas, near_household):
    raw = api_token_create(actor=personas.village_cadre, name="tablet").raw

    response = Client().post(
        "/api/areas/residents",
        {"household_id": near_household.pk, "name": "Li Na", "id_number": "360122199001010010"},
        JSON,
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    problem = problem_of(response, 422, "validation_failed")
    assert problem["detail"] == "Some values are not valid."
    assert problem["errors"] == [
        {"field": "id_number", "message": "The ID number's check character is wrong."}
    ]


def test_an_id_number_is_registered_once(as_user, near_household, wang):
    response = as_user("village_cadre").post(
        "/api/areas/residents",
        {"household_id": near_household.pk, "name": "王芳", "id_number": wang.id_number},
        JSON,
    )

    problem_of(response, 422, "id_number_taken")


# --- Changing and removing -----------------------------------------------------------------------


def test_omitted_personal_data_is_kept_when_a_resident_is_corrected(as_user, wang):
    response = as_user("town_officer").put(
        f"/api/areas/residents/{wang.pk}",
        {"name": "王芳芳", "relation": "head", "residence": "resident"},
        JSON,
    )

    assert response.status_code == 200
    resident = Resident.objects.get(pk=wang.pk)
    assert (resident.name, resident.relation, resident.residence) == ("王芳芳", "head", "resident")
    assert (resident.id_number, resident.phone) == (wang.id_number, "13912345678")


def test_a_resident_update_replaces_the_id_number_and_clears_the_phone(as_user, wang):
    new_id = make_id_number(birth="19700101")

    response = as_user("village_cadre").put(
        f"/api/areas/residents/{wang.pk}",
        {
            "name": "王芳",
            "id_number": new_id,
            "phone": "",
            "relation": "other",
            "residence": "registered",
        },
        JSON,
    )

    assert response.status_code == 200
    assert response.json()["birth_year"] == 1970
    resident = Resident.objects.get(pk=wang.pk)
    assert str(resident.birth_date) == "1970-01-01"
    assert (resident.id_number, resident.phone) == (new_id, "")


def test_a_resident_moves_to_another_household_in_scope(as_user, personas, wang, district):
    target = make_household(actor=personas.district_admin, area=district.village)
    body = {"name": "王芳", "relation": "other", "residence": "registered"}

    response = as_user("village_cadre").put(
        f"/api/areas/residents/{wang.pk}", {**body, "household_id": target.pk}, JSON
    )

    assert response.json()["household_id"] == target.pk
    assert response.json()["area"]["id"] == district.village.pk


def test_a_resident_cannot_move_to_a_household_outside_scope(as_user, wang, far_household):
    body = {"name": "王芳", "relation": "other", "residence": "registered"}

    response = as_user("village_cadre").put(
        f"/api/areas/residents/{wang.pk}", {**body, "household_id": far_household.pk}, JSON
    )

    assert [e["field"] for e in problem_of(response, 404, "not_found")["errors"]] == [
        "household_id"
    ]
    assert Resident.objects.get(pk=wang.pk).household_id == wang.household_id


@pytest.mark.parametrize(
    ("body", "field"),
    [({"id_number": "123"}, "id_number"), ({"phone": "555"}, "phone"), ({"name": " "}, "name")],
)
def test_a_resident_update_refuses_bad_values(as_user, wang, body, field):
    payload = {"name": "王芳", "relation": "other", "residence": "registered", **body}

    response = as_user("village_cadre").put(f"/api/areas/residents/{wang.pk}", payload, JSON)

    assert [e["field"] for e in problem_of(response, 422, "validation_failed")["errors"]] == [field]


@pytest.mark.parametrize(
    ("persona", "target", "status"),
    [("checkpoint_staff", "wang", 403), ("village_cadre", "zhao", 404)],
)
def test_correcting_a_resident_needs_people_rights_in_scope(
    as_user, request, persona, target, status
):
    resident = request.getfixturevalue(target)
    body = {"name": "改", "relation": "other", "residence": "registered"}

    response = as_user(persona).put(f"/api/areas/residents/{resident.pk}", body, JSON)

    assert response.status_code == status
    assert Resident.objects.get(pk=resident.pk).name != "改"


def test_a_resident_registered_in_error_is_removed(as_user, wang):
    response = as_user("village_cadre").delete(f"/api/areas/residents/{wang.pk}")

    assert response.status_code == 204
    assert not Resident.objects.filter(pk=wang.pk).exists()


@pytest.mark.parametrize(
    ("persona", "target", "status"),
    [("checkpoint_staff", "wang", 403), ("village_cadre", "zhao", 404)],
)
def test_removing_a_resident_needs_people_rights_in_scope(
    as_user, request, persona, target, status
):
    resident = request.getfixturevalue(target)

    response = as_user(persona).delete(f"/api/areas/residents/{resident.pk}")

    assert response.status_code == status
    assert Resident.objects.filter(pk=resident.pk).exists()
