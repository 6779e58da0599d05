"""GET /api/areas/audit/{app_label}/{model_name}/{object_id}: a record's trail, scoped like it."""

from __future__ import annotations

import pytest

from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.tests.helpers import JSON, problem_of


@pytest.fixture
def wang(district, personas):
    admin = personas.district_admin
    household = make_household(actor=admin, area=district.group)
    return make_resident(actor=admin, household=household, name="王芳", phone="13912345678")


@pytest.fixture
def zhao(district, personas):
    admin = personas.district_admin
    household = make_household(actor=admin, area=district.far_group)
    return make_resident(actor=admin, household=household, name="赵敏")


def test_a_residents_trail_shows_changes_and_reveals_with_personal_data_masked(
    as_user, client, personas, wang
):
    cadre = as_user("village_cadre")
    cadre.put(
        f"/api/areas/residents/{wang.pk}",
        {"name": "王芳", "phone": "13800001111", "relation": "head", "residence": "registered"},
        JSON,
    )
    cadre.post(f"/api/areas/residents/{wang.pk}/reveal", {"reason": "随访"}, JSON)

    response = as_user("town_officer").get(f"/api/areas/audit/areas/resident/{wang.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["record_type"], body["record_id"], body["record"]) == (
        "areas.resident",
        str(wang.pk),
        "王芳",
    )
    assert [e["action"] for e in body["entries"]] == ["view_personal_data", "update", "create"]
    reveal, update, _create = body["entries"]
    assert reveal["actor"]["username"] == "cadre"
    assert reveal["note"] == "随访"
    assert update["changes"]["phone"] == ["139****5678", "138****1111"]
    assert update["changes"]["relation"] == ["other", "head"]
    assert "13800001111" not in response.content.decode()
    assert wang.id_number not in response.content.decode()


def test_an_areas_trail_names_its_actors_in_bounded_queries(
    as_user, district, django_assert_max_num_queries
):
    admin = as_user("district_admin")
    for name in ("艾溪一村", "艾溪二村", "艾溪湖村"):
        admin.put(f"/api/areas/{district.village.pk}", {"name": name}, JSON)
    commander = as_user("commander")

    with django_assert_max_num_queries(6):
        body = commander.get(f"/api/areas/audit/areas/area/{district.village.pk}").json()

    assert [e["action"] for e in body["entries"]] == ["update", "update", "update", "create"]
    assert body["entries"][0]["changes"] == {"name": ["艾溪二村", "艾溪湖村"]}
    assert {e["actor"]["username"] for e in body["entries"]} == {"admin"}


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("checkpoint_staff", "areas/resident/{wang}"),
        ("town_officer", "areas/resident/{zhao}"),
        ("district_admin", "core/user/1"),
        ("district_admin", "areas/nothing/1"),
        ("district_admin", "areas/resident/abc"),
    ],
    ids=[
        "role without audit rights",
        "record outside scope",
        "model without a scope",
        "unknown model",
        "id that is not a number",
    ],
)
def test_trails_that_may_not_be_read_are_not_found(as_user, wang, zhao, persona, path):
    url = "/api/areas/audit/" + path.format(wang=wang.pk, zhao=zhao.pk)

    problem_of(as_user(persona).get(url), 404, "not_found")
