from __future__ import annotations

import pytest

from dualtrack.areas.selectors import resident_get_for, resident_list_for
from dualtrack.areas.services.people import resident_create, resident_reveal
from dualtrack.areas.tests.factories import make_household, make_id_number, make_resident
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import AuditAction, AuditEntry


def test_village_cadre_sees_only_their_village(district, personas):
    admin = personas.district_admin
    mine = make_resident(actor=admin, household=make_household(actor=admin, area=district.group))
    far = make_resident(actor=admin, household=make_household(actor=admin, area=district.far_group))
    ids = {r.id for r in resident_list_for(user=personas.village_cadre)}
    assert ids == {mine.id}
    with pytest.raises(NotFound):
        resident_get_for(user=personas.village_cadre, resident_id=far.id)
    assert {r.id for r in resident_list_for(user=personas.district_admin)} == {mine.id, far.id}
    assert resident_list_for(user=personas.outsider) == []


def test_town_officer_cannot_write_outside_town(district, personas):
    household = make_household(actor=personas.district_admin, area=district.far_group)
    with pytest.raises(NotFound):
        resident_create(
            actor=personas.town_officer,
            household=household,
            name="李四",
            id_number=make_id_number(),
        )


def test_checkpoint_staff_may_read_but_not_write(district, personas):
    household = make_household(actor=personas.district_admin, area=district.group)
    with pytest.raises(PermissionDenied):
        resident_create(
            actor=personas.checkpoint_staff,
            household=household,
            name="王五",
            id_number=make_id_number(),
        )


def test_reveal_is_audited_and_refused_to_town_officer(district, personas):
    admin = personas.district_admin
    resident = make_resident(
        actor=admin, household=make_household(actor=admin, area=district.group)
    )
    data = resident_reveal(actor=personas.village_cadre, resident=resident)
    assert data.id_number == resident.id_number
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.VIEW_PERSONAL_DATA,
            actor=personas.village_cadre,
            target_id=str(resident.id),
        ).count()
        == 1
    )
    with pytest.raises(PermissionDenied):
        resident_reveal(actor=personas.town_officer, resident=resident)


def test_a_working_groups_duty_adds_its_permissions(district, working_group_staff):
    from dualtrack.areas.models import Duty
    from dualtrack.areas.scoping import ROOT_CODE, Permission, scope_for

    supplies = scope_for(working_group_staff(Duty.SUPPLIES))
    enterprise = scope_for(working_group_staff(Duty.ENTERPRISE_SERVICES))
    assert supplies.codes(Permission.MANAGE_SUPPLIES) == (ROOT_CODE,)
    assert supplies.codes(Permission.APPROVE_FILINGS) == ()
    assert enterprise.codes(Permission.APPROVE_FILINGS) == (ROOT_CODE,)
    assert enterprise.codes(Permission.MANAGE_SUPPLIES) == ()
    assert not enterprise.covers(district.village, Permission.MANAGE_PEOPLE)
