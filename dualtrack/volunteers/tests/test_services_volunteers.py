"""Signing up, the village's review, and the login an approved volunteer gets."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils.translation import gettext

from dualtrack.areas.models import Role, RoleGrant
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.areas.tests.factories import make_id_number
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditEntry
from dualtrack.volunteers.models import Volunteer, VolunteerStatus
from dualtrack.volunteers.services import volunteers

pytestmark = pytest.mark.django_db


def test_a_sign_up_is_stored_encrypted_and_shown_masked(sign_up, district):
    number = make_id_number(birth="19850612")
    volunteer = sign_up([district.village, district.sibling_village], id_number=number)
    assert volunteer.status == VolunteerStatus.PENDING
    assert volunteer.birth_year == 1985
    assert volunteer.id_number_masked != number and volunteer.id_number_masked.endswith(number[-4:])
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM volunteers_volunteer WHERE id = %s", [volunteer.pk])
        (stored,) = cursor.fetchone()
    assert number not in stored
    assert set(volunteer.villages.values_list("pk", flat=True)) == {
        district.village.pk,
        district.sibling_village.pk,
    }


def test_an_unknown_village_is_refused_and_nothing_written(sign_up, district):
    with pytest.raises(ValidationFailed) as refused:
        sign_up([], village_ids=[district.village.pk, 999_999])
    assert refused.value.errors[0]["field"] == "villages"
    assert refused.value.errors[0]["message"] == gettext("No such village or community.")
    with pytest.raises(ValidationFailed):  # a town is not where one serves
        sign_up([district.town])
    assert not Volunteer.objects.exists()


def test_bad_numbers_are_refused_by_field(sign_up, district):
    with pytest.raises(ValidationFailed) as refused:
        sign_up([district.village], mobile="12345", id_number="36012219900101001X", name="")
    fields = {e["field"] for e in refused.value.errors}
    assert fields == {"mobile", "id_number", "name"}
    assert not Volunteer.objects.exists()


def test_the_same_person_signs_up_once(sign_up, district):
    number = make_id_number()
    sign_up([district.village], id_number=number)
    with pytest.raises(Conflict):
        sign_up([district.sibling_village], id_number=number)
    assert Volunteer.objects.count() == 1


def test_approval_opens_a_login_with_the_volunteer_role_on_their_villages(
    sign_up, district, personas
):
    pending = sign_up([district.village, district.sibling_village])
    approval = volunteers.volunteer_approve(actor=personas.village_cadre, volunteer=pending)
    user = approval.volunteer.user
    assert user is not None and user.check_password(approval.password)
    grants = RoleGrant.objects.filter(user=user)
    assert {(g.role, g.area_id) for g in grants} == {
        (Role.VOLUNTEER, district.village.pk),
        (Role.VOLUNTEER, district.sibling_village.pk),
    }
    scope = scope_for(user)
    assert scope.covers(district.village) and not scope.covers(district.far_village)
    assert not scope.codes(Permission.MANAGE_VOLUNTEERS)
    with pytest.raises(Conflict):
        volunteers.volunteer_approve(actor=personas.village_cadre, volunteer=pending)


def test_who_may_review(sign_up, district, personas):
    far = sign_up([district.far_village])
    for actor in (personas.village_cadre, personas.town_officer, personas.checkpoint_staff):
        with pytest.raises(NotFound):
            volunteers.volunteer_approve(actor=actor, volunteer=far)
    with pytest.raises(PermissionDenied):
        volunteers.volunteer_approve(actor=personas.commander, volunteer=far)
    assert Volunteer.objects.get(pk=far.pk).status == VolunteerStatus.PENDING
    assert not RoleGrant.objects.filter(role=Role.VOLUNTEER).exists()


def test_declining_needs_a_reason_and_writes_nothing_without_one(sign_up, district, personas):
    pending = sign_up([district.village])
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        volunteers.volunteer_decline(actor=personas.village_cadre, volunteer=pending, reason=" ")
    assert refused.value.errors[0]["field"] == "reason"
    assert Volunteer.objects.get(pk=pending.pk).status == VolunteerStatus.PENDING
    assert AuditEntry.objects.count() == entries
    declined = volunteers.volunteer_decline(
        actor=personas.village_cadre, volunteer=pending, reason="年龄超过六十五岁"
    )
    assert declined.status == VolunteerStatus.DECLINED
    assert declined.decline_reason == "年龄超过六十五岁" and declined.user is None


def test_revealing_the_numbers_is_audited_and_needs_personal_data_access(volunteer, personas):
    with pytest.raises(PermissionDenied):
        volunteers.volunteer_reveal(actor=personas.town_officer, volunteer=volunteer)
    revealed = volunteers.volunteer_reveal(actor=personas.village_cadre, volunteer=volunteer)
    assert revealed["id_number"] == volunteer.id_number
    assert AuditEntry.objects.filter(
        target_id=str(volunteer.pk), action="view_personal_data"
    ).exists()
