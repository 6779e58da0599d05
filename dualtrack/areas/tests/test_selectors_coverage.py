from __future__ import annotations

import pytest

from dualtrack.areas.models import IndustrySector, OrgUnitKind
from dualtrack.areas.selectors import coverage_for
from dualtrack.areas.services.organisation import (
    cadre_create,
    liaison_assign,
    org_unit_create,
    sector_assign,
)
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.errors import NotFound


@pytest.fixture
def covered(district, personas):
    """Liaisons for two of the three villages, one household with and one without residents."""
    admin = personas.district_admin
    cadre = cadre_create(actor=admin, name="刘干部", origin="district_organ", area=district.town)
    liaison_assign(actor=admin, cadre=cadre, area=district.village)
    liaison_assign(actor=admin, cadre=cadre, area=district.far_village)
    make_resident(actor=admin, household=make_household(actor=admin, area=district.group))
    empty = make_household(actor=admin, area=district.group)
    group = org_unit_create(
        actor=admin, kind=OrgUnitKind.WORKING_GROUP, name="企业服务组", area=district.root
    )
    for sector in IndustrySector.objects.exclude(code="T"):
        sector_assign(actor=admin, sector=sector, group=group)
    return empty


def test_district_report_finds_every_gap(district, personas, covered):
    report = coverage_for(user=personas.district_admin)
    assert [a.pk for a in report.villages_without_liaison] == [district.sibling_village.pk]
    assert [a.pk for a in report.groups_without_household] == [district.far_group.pk]
    assert [h.pk for h in report.households_without_resident] == [covered.pk]
    assert [s.code for s in report.sectors_without_group] == ["T"]
    town = {row.town.pk: row for row in report.towns}[district.town.pk]
    assert (town.villages, town.villages_without_liaison) == (2, 1)
    assert (town.groups, town.groups_without_household) == (1, 0)
    assert (town.households, town.households_without_resident) == (2, 1)
    assert town.gaps == 2


def test_drill_down_to_one_town(district, personas, covered):
    report = coverage_for(user=personas.district_admin, town_id=district.other_town.pk)
    assert [row.town.pk for row in report.towns] == [district.other_town.pk]
    assert report.villages_without_liaison == []
    assert [a.pk for a in report.groups_without_household] == [district.far_group.pk]


def test_town_officer_sees_only_their_town_and_no_sectors(district, personas, covered):
    report = coverage_for(user=personas.town_officer)
    assert [row.town.pk for row in report.towns] == [district.town.pk]
    assert report.groups_without_household == []
    assert report.sectors_without_group == []
    with pytest.raises(NotFound):
        coverage_for(user=personas.town_officer, town_id=district.other_town.pk)
