"""/api/areas org units, sectors, cadres and liaisons: the command structure through the API."""

from __future__ import annotations

import datetime

import pytest

from dualtrack.areas.models import (
    Cadre,
    CadreOrigin,
    IndustrySector,
    LiaisonAssignment,
    OrgUnit,
    OrgUnitKind,
)
from dualtrack.areas.services.organisation import cadre_create, liaison_assign, org_unit_create
from dualtrack.core.tests.helpers import JSON, problem_of


def fields(problem: dict) -> list[str]:
    return [error["field"] for error in problem["errors"]]


@pytest.fixture
def units(district, personas) -> dict[str, OrgUnit]:
    admin = personas.district_admin

    def unit(kind: str, name: str, area, parent=None) -> OrgUnit:
        return org_unit_create(actor=admin, kind=kind, name=name, area=area, parent=parent)

    leading = unit(OrgUnitKind.LEADING_GROUP, "领导小组", district.root)
    return {
        "leading": leading,
        "enterprise": unit(OrgUnitKind.WORKING_GROUP, "企业服务组", district.root, leading),
        "changdong": unit(OrgUnitKind.TOWN_COMMAND, "昌东镇指挥部", district.town, leading),
        "maqiu": unit(OrgUnitKind.TOWN_COMMAND, "麻丘镇指挥部", district.other_town, leading),
    }


@pytest.fixture
def cadres(district, personas) -> dict[str, Cadre]:
    def cadre(name: str, area, phone: str) -> Cadre:
        return cadre_create(
            actor=personas.district_admin,
            name=name,
            origin=CadreOrigin.DISTRICT_ORGAN,
            area=area,
            phone=phone,
            unit="区财政局",
        )

    return {
        "liu": cadre("刘洋", district.town, "13700001111"),
        "chen": cadre("陈静", district.village, "13700002222"),
        "sun": cadre("孙伟", district.other_town, "13700003333"),
    }


# --- Org units -----------------------------------------------------------------------------------


def test_org_units_are_listed_as_far_as_the_caller_sees(
    as_user, units, django_assert_max_num_queries
):
    commander = as_user("commander")
    with django_assert_max_num_queries(4):
        everything = commander.get("/api/areas/org-units").json()
    town = as_user("town_officer").get("/api/areas/org-units").json()

    assert [u["name"] for u in everything] == [
        "领导小组",
        "企业服务组",
        "昌东镇指挥部",
        "麻丘镇指挥部",
    ]
    assert everything[1]["parent_id"] == units["leading"].pk
    assert everything[1]["kind"] == "working_group"
    assert [u["name"] for u in town] == ["昌东镇指挥部"]


def test_an_org_unit_outside_scope_reads_as_not_found(as_user, units):
    response = as_user("town_officer").get(f"/api/areas/org-units/{units['maqiu'].pk}")

    problem_of(response, 404, "not_found")


def test_district_admin_adds_a_working_group(as_user, district, units):
    response = as_user("district_admin").post(
        "/api/areas/org-units",
        {
            "kind": "working_group",
            "name": "物资保障组",
            "area_id": district.root.pk,
            "parent_id": units["leading"].pk,
            "responsibilities": "口罩、消毒液",
            "order": 3,
        },
        JSON,
    )

    assert response.status_code == 201
    unit = OrgUnit.objects.get(pk=response.json()["id"])
    assert (unit.parent, unit.responsibilities, unit.order) == (units["leading"], "口罩、消毒液", 3)


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"kind": "committee"}, 422, "validation_failed", "kind"),
        ({"name": "领导小组"}, 422, "name_taken", "name"),
        ({"name": ""}, 422, "name_required", "name"),
        ({"order": -1}, 422, "validation_failed", "order"),
        ({"parent_id": 999999}, 404, "not_found", "parent_id"),
        ({"area_id": 999999}, 404, "not_found", "area_id"),
        ({"duty": "catering"}, 422, "validation_failed", "duty"),
        ({"kind": "leading_group", "duty": "supplies"}, 422, "duty_not_allowed", "duty"),
    ],
    ids=[
        "unknown kind",
        "name taken",
        "blank name",
        "negative order",
        "no parent",
        "no area",
        "unknown duty",
        "duty of a non-group",
    ],
)
def test_adding_an_org_unit_refuses_bad_input(as_user, district, units, body, status, code, field):
    payload = {"kind": "working_group", "name": "新组", "area_id": district.root.pk, **body}

    response = as_user("district_admin").post("/api/areas/org-units", payload, JSON)

    assert fields(problem_of(response, status, code)) == [field]
    assert not OrgUnit.objects.filter(name="新组").exists()


@pytest.mark.parametrize(("persona", "status"), [("town_officer", 403), ("village_cadre", 404)])
def test_adding_an_org_unit_needs_organisation_rights(as_user, district, persona, status):
    body = {"kind": "town_command", "name": "新指挥部", "area_id": district.town.pk}

    response = as_user(persona).post("/api/areas/org-units", body, JSON)

    assert response.status_code == status
    assert not OrgUnit.objects.filter(name="新指挥部").exists()


def test_district_admin_restates_a_units_responsibilities(as_user, units):
    response = as_user("district_admin").put(
        f"/api/areas/org-units/{units['changdong'].pk}",
        {"name": "昌东镇疫情防控指挥部", "responsibilities": "统筹全镇"},
        JSON,
    )

    assert response.status_code == 200
    assert response.json()["name"] == "昌东镇疫情防控指挥部"
    units["changdong"].refresh_from_db()
    assert units["changdong"].responsibilities == "统筹全镇"


def test_a_working_groups_duty_grants_its_staff_the_duty_and_can_change(
    as_user, district, units, working_group_staff
):
    from dualtrack.areas.scoping import Permission, scope_for
    from dualtrack.core.models import User

    admin = as_user("district_admin")
    group = units["enterprise"]
    staff = working_group_staff("coordination", username="liu")
    grant = staff.role_grants.get()
    grant.org_unit = group
    grant.save()
    assert scope_for(staff).codes(Permission.APPROVE_FILINGS) == ()

    body = {"name": group.name, "responsibilities": "", "duty": "enterprise_services"}
    response = admin.put(f"/api/areas/org-units/{group.pk}", body, JSON)

    assert response.status_code == 200
    assert response.json()["duty"] == "enterprise_services"
    staff = User.objects.get(pk=staff.pk)  # a fresh object: the scope is cached per user object
    assert scope_for(staff).codes(Permission.APPROVE_FILINGS) == (district.root.code,)
    unchanged = admin.put(f"/api/areas/org-units/{group.pk}", {"name": group.name}, JSON)
    assert unchanged.json()["duty"] == "enterprise_services"


def test_changing_an_org_unit_needs_organisation_rights(as_user, units):
    body = {"name": "改名", "responsibilities": ""}

    problem_of(
        as_user("town_officer").put(f"/api/areas/org-units/{units['changdong'].pk}", body, JSON),
        403,
        "permission_denied",
    )
    problem_of(
        as_user("town_officer").put(f"/api/areas/org-units/{units['maqiu'].pk}", body, JSON),
        404,
        "not_found",
    )


# --- Sectors -------------------------------------------------------------------------------------


def test_sectors_are_listed_with_their_working_group(as_user, units, django_assert_max_num_queries):
    IndustrySector.objects.filter(code="C").update(responsible_group=units["enterprise"])
    client = as_user("village_cadre")

    with django_assert_max_num_queries(3):
        sectors = client.get("/api/areas/sectors").json()

    assert len(sectors) == 20
    assert sectors[2] == {
        "code": "C",
        "name": "制造业",
        "responsible_group": {"id": units["enterprise"].pk, "name": "企业服务组"},
    }
    assert sectors[0]["responsible_group"] is None


def test_district_admin_makes_a_working_group_answerable_for_a_sector(as_user, units):
    client = as_user("district_admin")

    assigned = client.put(
        "/api/areas/sectors/c", {"responsible_group_id": units["enterprise"].pk}, JSON
    )
    cleared = client.put("/api/areas/sectors/F", {"responsible_group_id": None}, JSON)

    assert assigned.json()["responsible_group"]["name"] == "企业服务组"
    assert IndustrySector.objects.get(code="C").responsible_group == units["enterprise"]
    assert cleared.json()["responsible_group"] is None


def test_only_a_working_group_can_answer_for_a_sector(as_user, units):
    response = as_user("district_admin").put(
        "/api/areas/sectors/C", {"responsible_group_id": units["leading"].pk}, JSON
    )

    assert fields(problem_of(response, 422, "validation_failed")) == ["responsible_group"]


def test_an_unknown_sector_is_not_found(as_user, units):
    response = as_user("district_admin").put(
        "/api/areas/sectors/Z", {"responsible_group_id": None}, JSON
    )

    problem_of(response, 404, "not_found")


@pytest.mark.parametrize(("persona", "status"), [("commander", 403), ("town_officer", 404)])
def test_assigning_sectors_needs_district_organisation_rights(as_user, units, persona, status):
    body = {"responsible_group_id": None}

    assert as_user(persona).put("/api/areas/sectors/C", body, JSON).status_code == status


# --- Cadres --------------------------------------------------------------------------------------


def test_cadres_are_listed_with_phones_masked_by_keyset(
    as_user, cadres, django_assert_max_num_queries
):
    client = as_user("commander")

    with django_assert_max_num_queries(4):
        first = client.get("/api/areas/cadres?limit=2").json()
    second = client.get(f"/api/areas/cadres?limit=2&after={first['next_after']}").json()

    assert [c["name"] for c in first["items"]] == ["刘洋", "陈静"]
    assert first["items"][0]["phone_masked"] == "137****1111"
    assert "13700001111" not in str(first)
    assert [c["name"] for c in second["items"]] == ["孙伟"]
    assert second["next_after"] is None


def test_cadres_are_listed_within_scope_and_under_an_area(as_user, cadres, district):
    town = as_user("town_officer")

    assert [c["name"] for c in town.get("/api/areas/cadres").json()["items"]] == ["刘洋", "陈静"]
    under = town.get(f"/api/areas/cadres?area={district.village.pk}").json()["items"]
    assert [c["name"] for c in under] == ["陈静"]
    problem_of(town.get(f"/api/areas/cadres?area={district.other_town.pk}"), 404, "not_found")


def test_district_admin_records_a_cadre(as_user, district, units):
    response = as_user("district_admin").post(
        "/api/areas/cadres",
        {
            "name": "周敏",
            "origin": "town_village",
            "area_id": district.village.pk,
            "phone": "+86 137 0000 4444",
            "unit": "艾溪村委会",
            "org_unit_id": units["changdong"].pk,
        },
        JSON,
    )

    assert response.status_code == 201
    assert response.json()["phone_masked"] == "137****4444"
    cadre = Cadre.objects.get(pk=response.json()["id"])
    assert (cadre.phone, cadre.org_unit) == ("13700004444", units["changdong"])


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"phone": "1370000"}, 422, "validation_failed", "phone"),
        ({"name": " "}, 422, "validation_failed", "name"),
        ({"origin": "army"}, 422, "validation_failed", "origin"),
        ({"area_id": "艾溪村"}, 422, "validation_failed", "area_id"),
        ({"org_unit_id": 999999}, 404, "not_found", "org_unit_id"),
    ],
    ids=["bad phone", "blank name", "unknown origin", "wrong type", "no org unit"],
)
def test_recording_a_cadre_refuses_bad_input(as_user, district, body, status, code, field):
    payload = {"name": "周敏", "origin": "town_village", "area_id": district.village.pk, **body}

    response = as_user("district_admin").post("/api/areas/cadres", payload, JSON)

    assert fields(problem_of(response, status, code)) == [field]
    assert not Cadre.objects.exists()


@pytest.mark.parametrize(("area", "status"), [("village", 403), ("far_village", 404)])
def test_recording_a_cadre_needs_organisation_rights_over_the_area(as_user, district, area, status):
    body = {"name": "周敏", "origin": "town_village", "area_id": getattr(district, area).pk}

    response = as_user("town_officer").post("/api/areas/cadres", body, JSON)

    assert response.status_code == status
    assert not Cadre.objects.exists()


# --- Liaisons ------------------------------------------------------------------------------------


@pytest.fixture
def chen_in_aixi(district, personas, cadres) -> LiaisonAssignment:
    return liaison_assign(
        actor=personas.district_admin,
        cadre=cadres["chen"],
        area=district.village,
        since=datetime.date(2020, 1, 27),
    )


@pytest.fixture
def sun_in_maqiu(district, personas, cadres) -> LiaisonAssignment:
    return liaison_assign(
        actor=personas.district_admin, cadre=cadres["sun"], area=district.far_village
    )


def test_liaisons_are_listed_within_scope_and_under_an_area(
    as_user, district, chen_in_aixi, sun_in_maqiu, django_assert_max_num_queries
):
    commander = as_user("commander")
    with django_assert_max_num_queries(4):
        everything = commander.get("/api/areas/liaisons").json()
    under = commander.get(f"/api/areas/liaisons?area={district.other_town.pk}").json()
    town = as_user("town_officer").get("/api/areas/liaisons").json()

    assert [(a["cadre"]["name"], a["area"]["name"]) for a in everything] == [
        ("陈静", "艾溪村"),
        ("孙伟", "麻丘社区"),
    ]
    assert everything[0]["since"] == "2020-01-27" and everything[0]["until"] is None
    assert [a["id"] for a in under] == [sun_in_maqiu.pk]
    assert [a["id"] for a in town] == [chen_in_aixi.pk]


def test_district_admin_makes_a_cadre_the_liaison_of_a_village(as_user, district, cadres):
    response = as_user("district_admin").post(
        "/api/areas/liaisons",
        {
            "cadre_id": cadres["liu"].pk,
            "area_id": district.sibling_village.pk,
            "since": "2020-02-01",
        },
        JSON,
    )

    assert response.status_code == 201
    assert response.json()["area"]["name"] == "南山村"
    assignment = LiaisonAssignment.objects.get(pk=response.json()["id"])
    assert (assignment.cadre, assignment.since) == (cadres["liu"], datetime.date(2020, 2, 1))


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"area": "group"}, 422, "area_kind_not_allowed", "area"),
        ({"since": "2020-02-30"}, 422, "validation_failed", "since"),
        ({"cadre_id": 999999}, 404, "not_found", "cadre_id"),
    ],
    ids=["not a village", "not a date", "no cadre"],
)
def test_assigning_a_liaison_refuses_bad_input(
    as_user, district, cadres, body, status, code, field
):
    area = getattr(district, body.pop("area", "village"))
    payload = {"cadre_id": cadres["liu"].pk, "area_id": area.pk, **body}

    response = as_user("district_admin").post("/api/areas/liaisons", payload, JSON)

    assert fields(problem_of(response, status, code)) == [field]
    assert not LiaisonAssignment.objects.exists()


def test_a_cadre_is_the_liaison_of_a_village_once(as_user, district, cadres, chen_in_aixi):
    response = as_user("district_admin").post(
        "/api/areas/liaisons", {"cadre_id": cadres["chen"].pk, "area_id": district.village.pk}, JSON
    )

    problem_of(response, 409, "liaison_exists")


def test_ending_a_liaison_keeps_its_history_and_drops_it_from_the_list(as_user, chen_in_aixi):
    client = as_user("district_admin")

    response = client.post(
        f"/api/areas/liaisons/{chen_in_aixi.pk}/end", {"until": "2020-03-31"}, JSON
    )

    assert response.status_code == 200
    assert response.json()["until"] == "2020-03-31"
    assert client.get("/api/areas/liaisons").json() == []
    problem_of(
        client.post(f"/api/areas/liaisons/{chen_in_aixi.pk}/end", {}, JSON), 409, "liaison_ended"
    )


def test_a_liaison_cannot_end_before_it_began(as_user, chen_in_aixi):
    response = as_user("district_admin").post(
        f"/api/areas/liaisons/{chen_in_aixi.pk}/end", {"until": "2020-01-01"}, JSON
    )

    assert fields(problem_of(response, 422, "validation_failed")) == ["until"]


@pytest.mark.parametrize(("persona", "status"), [("town_officer", 403), ("outsider", 404)])
def test_ending_a_liaison_needs_organisation_rights(as_user, chen_in_aixi, persona, status):
    response = as_user(persona).post(f"/api/areas/liaisons/{chen_in_aixi.pk}/end", {}, JSON)

    assert response.status_code == status
    chen_in_aixi.refresh_from_db()
    assert chen_in_aixi.until is None
