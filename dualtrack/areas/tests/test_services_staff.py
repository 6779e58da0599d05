"""Opening staff accounts (services.staff)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from dualtrack.areas.scoping import scope_for
from dualtrack.areas.services.staff import staff_user_create
from dualtrack.core.errors import NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditEntry, User

GOOD_PASSWORD = "Spring-2020-ok"


def test_an_account_is_opened_audited_and_sees_nothing_until_granted(district, personas):
    user = staff_user_create(
        actor=personas.district_admin,
        username="  xiaowang ",
        display_name=" 小王 ",
        password=GOOD_PASSWORD,
    )
    assert (user.username, user.display_name) == ("xiaowang", "小王")
    assert user.check_password(GOOD_PASSWORD)
    assert scope_for(user).is_empty
    entry = AuditEntry.objects.get(
        target_type=ContentType.objects.get_for_model(User), target_id=str(user.pk)
    )
    assert entry.action == "create"
    assert entry.actor == personas.district_admin
    assert entry.area_code == district.root.code
    # The trail says who the account is, never anything of its password.
    assert set(entry.changes) == {"username", "display_name", "is_active"}


def test_every_problem_is_reported_field_by_field_and_nothing_is_written(district, personas):
    with pytest.raises(ValidationFailed) as failure:
        staff_user_create(
            actor=personas.district_admin, username="bad name!", display_name="", password="123"
        )
    fields = [error["field"] for error in failure.value.errors]
    assert fields[:2] == ["username", "display_name"]
    assert fields.count("password") >= 2  # too short, entirely numeric (and more)
    assert not User.objects.filter(username="bad name!").exists()


def test_the_password_may_not_resemble_the_username(district, personas):
    with pytest.raises(ValidationFailed) as failure:
        staff_user_create(
            actor=personas.district_admin,
            username="zhangsanfeng",
            display_name="张三丰",
            password="zhangsanfeng1",
        )
    assert [error["field"] for error in failure.value.errors] == ["password"]


def test_a_username_differing_only_in_letter_case_is_taken(district, personas):
    with pytest.raises(ValidationFailed) as failure:
        staff_user_create(
            actor=personas.district_admin,
            username="Commander",
            display_name="冒名",
            password=GOOD_PASSWORD,
        )
    assert failure.value.errors[0]["field"] == "username"
    assert failure.value.code == "username_taken"
    assert User.objects.filter(username__iexact="commander").count() == 1


def test_only_district_administrators_open_accounts(district, personas):
    with pytest.raises(PermissionDenied):
        staff_user_create(
            actor=personas.commander, username="a1", display_name="甲", password=GOOD_PASSWORD
        )
    # A town officer does not even see the district the account would belong to.
    with pytest.raises(NotFound):
        staff_user_create(
            actor=personas.town_officer, username="a2", display_name="乙", password=GOOD_PASSWORD
        )
    assert not User.objects.filter(username__in=["a1", "a2"]).exists()
