"""GET /api/areas/coverage: what the campaign has left out, per town, in the caller's scope."""

from __future__ import annotations

import pytest

from dualtrack.areas.models import IndustrySector, OrgUnitKind
from dualtrack.areas.services.organisation import (
    cadre_create,
    liaison_assign,
    org_unit_create,
    sector_assign,
)
from dualtrack.areas.services.tree import area_create
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.tests.helpers import PROBLEM

URL = "/api/areas/coverage"


@pytest.fixture
def covered(district, personas):
    """Liaisons for two of the three villages, one household with and one without residents,
    every sector but T answered for."""
    admin = personas.district_admin
    cadre = cadre_create(actor=admin, name="刘干部", origin="district_organ", area=district.town)
    liaison_assign(actor=admin, cadre=cadre, area=district.village)
    liaison_assign(actor=admin, cadre=cadre, area=district.far_village)
    make_resident(actor=admin, household=make_household(actor=admin, area=district.group))
    empty = make_household(actor=admin, area=district.group, address="空户")
    group = org_unit_create(
        actor=admin, kind=OrgUnitKind.WORKING_GROUP, name="企业服务组", area=district.root
    )
    for sector in IndustrySector.objects.exclude(code="T"):
        sector_assign(actor=admin, sector=sector, group=group)
    return empty


def test_coverage_counts_every_town_and_lists_every_gap(as_user, district, covered):
    body = as_user("commander").get(URL).json()

    towns = {row["town"]["name"]: row for row in body["towns"]}
    assert list(towns) == ["昌东镇", "麻丘镇"]
    assert {k: v for k, v in towns["昌东镇"].items() if k != "town"} == {
        "villages": 2,
        "villages_without_liaison": 1,
        "groups": 1,
        "groups_without_household": 0,
        "households": 2,
        "households_without_resident": 1,
        "gaps": 2,
    }
    assert [(a["name"], a["parent"]["name"]) for a in body["villages_without_liaison"]] == [
        ("南山村", "昌东镇")
    ]
    assert [(a["name"], a["parent"]["name"]) for a in body["groups_without_household"]] == [
        ("一组", "麻丘社区")
    ]
    assert [h["id"] for h in body["households_without_resident"]] == [covered.pk]
    assert [s["code"] for s in body["sectors_without_group"]] == ["T"]
    assert body["list_limit"] == 200


def test_coverage_of_one_town(as_user, district, covered):
    body = as_user("district_admin").get(f"{URL}?town={district.other_town.pk}").json()

    assert [row["town"]["id"] for row in body["towns"]] == [district.other_town.pk]
    assert body["villages_without_liaison"] == []


def test_a_town_officer_sees_the_coverage_of_their_town_only(as_user, district, covered):
    client = as_user("town_officer")

    body = client.get(URL).json()
    elsewhere = client.get(f"{URL}?town={district.other_town.pk}")

    assert [row["town"]["id"] for row in body["towns"]] == [district.town.pk]
    assert body["groups_without_household"] == []
    assert body["sectors_without_group"] == []
    assert elsewhere.status_code == 404
    assert elsewhere["Content-Type"] == PROBLEM
    assert elsewhere.json()["code"] == "not_found"


def test_coverage_runs_a_fixed_number_of_queries_however_many_towns(
    as_user, district, personas, covered, django_assert_max_num_queries
):
    for n in range(5):
        town = area_create(
            actor=personas.district_admin, parent=district.root, kind="town", name=f"镇{n}"
        )
        area_create(actor=personas.district_admin, parent=town, kind="village", name="村")
    client = as_user("district_admin")

    with django_assert_max_num_queries(12):
        body = client.get(URL).json()

    assert len(body["towns"]) == 7
    assert len(body["villages_without_liaison"]) == 6
