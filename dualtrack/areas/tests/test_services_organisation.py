from __future__ import annotations

import pytest

from dualtrack.areas.models import LiaisonAssignment, OrgUnitKind, Role, RoleGrant
from dualtrack.areas.scoping import scope_for
from dualtrack.areas.services.organisation import (
    cadre_create,
    liaison_assign,
    liaison_end,
    org_unit_create,
    role_grant_create,
    role_grant_revoke,
)
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import User


def test_a_role_is_bound_to_its_kind_of_area(district, personas):
    user = User.objects.create_user("newbie")
    with pytest.raises(ValidationFailed):
        role_grant_create(
            actor=personas.district_admin, user=user, role=Role.TOWN_OFFICER, area=district.village
        )
    with pytest.raises(ValidationFailed):
        role_grant_create(
            actor=personas.district_admin, user=user, role=Role.WORKING_GROUP, area=district.root
        )
    assert not RoleGrant.objects.filter(user=user).exists()


def test_working_group_staff_are_granted_with_their_group(district, personas):
    group = org_unit_create(
        actor=personas.district_admin,
        kind=OrgUnitKind.WORKING_GROUP,
        name="物资保障组",
        area=district.root,
    )
    user = User.objects.create_user("wg")
    role_grant_create(
        actor=personas.district_admin,
        user=user,
        role=Role.WORKING_GROUP,
        area=district.root,
        org_unit=group,
    )
    assert scope_for(user).is_district_wide()


def test_revoking_a_grant_takes_the_scope_away(district, personas):
    grant = RoleGrant.objects.get(user=personas.town_officer)
    role_grant_revoke(actor=personas.district_admin, grant=grant)
    fresh = User.objects.get(pk=personas.town_officer.pk)
    assert scope_for(fresh).is_empty


def test_only_district_admins_manage_the_organisation(district, personas):
    with pytest.raises(PermissionDenied):
        cadre_create(
            actor=personas.town_officer, name="李", origin="town_village", area=district.town
        )
    with pytest.raises(NotFound):
        cadre_create(
            actor=personas.village_cadre, name="李", origin="town_village", area=district.town
        )


def test_liaisons_serve_villages_once_at_a_time(district, personas):
    admin = personas.district_admin
    cadre = cadre_create(actor=admin, name="赵", origin="district_organ", area=district.town)
    with pytest.raises(ValidationFailed):
        liaison_assign(actor=admin, cadre=cadre, area=district.town)
    assignment = liaison_assign(actor=admin, cadre=cadre, area=district.village)
    with pytest.raises(Conflict):
        liaison_assign(actor=admin, cadre=cadre, area=district.village)
    liaison_end(actor=admin, assignment=assignment)
    with pytest.raises(Conflict):
        liaison_end(actor=admin, assignment=assignment)
    liaison_assign(actor=admin, cadre=cadre, area=district.village)
    assert LiaisonAssignment.objects.filter(cadre=cadre).count() == 2


def test_cadre_phone_is_validated(district, personas):
    with pytest.raises(ValidationFailed) as info:
        cadre_create(
            actor=personas.district_admin,
            name="钱",
            origin="district_organ",
            area=district.town,
            phone="010-1234",
        )
    assert info.value.errors[0]["field"] == "phone"
