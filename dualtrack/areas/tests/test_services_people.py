from __future__ import annotations

import pytest

from dualtrack.areas.models import Gender, Household, Resident
from dualtrack.areas.services.people import (
    household_create,
    household_delete,
    resident_create,
    resident_update,
)
from dualtrack.areas.tests.factories import make_household, make_id_number, make_resident
from dualtrack.core.errors import Conflict, NotFound, ValidationFailed


def test_resident_fields_are_derived_from_the_id_number(district, personas):
    household = make_household(actor=personas.village_cadre, area=district.group)
    resident = resident_create(
        actor=personas.village_cadre,
        household=household,
        name=" 王芳 ",
        id_number="11010519491231002x",
        phone="+86 139-1234-5678",
    )
    resident.refresh_from_db()
    assert resident.name == "王芳"
    assert resident.id_number == "11010519491231002X"
    assert resident.phone == "13912345678"
    assert str(resident.birth_date) == "1949-12-31"
    assert resident.gender == Gender.FEMALE
    assert resident.area_id == district.group.pk


def test_every_bad_field_is_reported_and_nothing_written(district, personas):
    household = make_household(actor=personas.village_cadre, area=district.group)
    with pytest.raises(ValidationFailed) as info:
        resident_create(
            actor=personas.village_cadre,
            household=household,
            name="",
            id_number="110105194912310021",
            phone="12345",
        )
    assert {e["field"] for e in info.value.errors} == {"name", "id_number", "phone"}
    assert not Resident.objects.exists()


def test_an_id_number_is_registered_once(district, personas):
    admin = personas.district_admin
    first = make_resident(actor=admin, household=make_household(actor=admin, area=district.group))
    other = make_household(actor=admin, area=district.far_group)
    with pytest.raises(ValidationFailed) as info:
        resident_create(actor=admin, household=other, name="重复", id_number=first.id_number)
    assert info.value.code == "id_number_taken"
    assert Resident.objects.count() == 1


def test_households_live_in_groups_or_villages_not_towns(district, personas):
    with pytest.raises(ValidationFailed):
        household_create(actor=personas.district_admin, area=district.town, number="1", address="x")
    assert not Household.objects.exists()


def test_household_number_is_unique_in_its_area(district, personas):
    household_create(actor=personas.district_admin, area=district.group, number="7", address="a")
    with pytest.raises(ValidationFailed):
        household_create(
            actor=personas.district_admin, area=district.group, number="7", address="b"
        )


def test_moving_a_resident_out_of_scope_is_refused(district, personas):
    admin = personas.district_admin
    resident = make_resident(
        actor=admin, household=make_household(actor=admin, area=district.group)
    )
    far = make_household(actor=admin, area=district.far_group)
    with pytest.raises(NotFound):
        resident_update(
            actor=personas.village_cadre,
            resident=resident,
            household=far,
            name=resident.name,
            id_number=resident.id_number,
        )
    resident.refresh_from_db()
    assert resident.household_id != far.pk


def test_moving_a_resident_follows_the_household_area(district, personas):
    admin = personas.district_admin
    resident = make_resident(
        actor=admin, household=make_household(actor=admin, area=district.group)
    )
    far = make_household(actor=admin, area=district.far_group)
    resident_update(
        actor=admin, resident=resident, household=far, name="迁出", id_number=resident.id_number
    )
    resident.refresh_from_db()
    assert (resident.household_id, resident.area_id, resident.name) == (
        far.pk,
        district.far_group.pk,
        "迁出",
    )


def test_a_household_with_residents_cannot_be_removed(district, personas):
    admin = personas.district_admin
    household = make_household(actor=admin, area=district.group)
    make_resident(actor=admin, household=household)
    with pytest.raises(Conflict):
        household_delete(actor=admin, household=household)


def test_id_number_generator_makes_valid_numbers():
    from stdnum.cn import ric

    assert all(ric.is_valid(make_id_number()) for _ in range(20))
