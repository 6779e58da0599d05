"""An enterprise signs up; its town approves; the login then sees that enterprise only."""

from __future__ import annotations

import pytest

from dualtrack.core.errors import NotFound, ValidationFailed
from dualtrack.core.models import User
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.enterprises.models import SignupStatus
from dualtrack.enterprises.selectors import signup_list_for
from dualtrack.enterprises.services.signups import signup_decide

from .conftest import CODES, submit_signup

pytestmark = pytest.mark.django_db


def test_signup_is_approved_by_the_town_and_activates_the_login(personas, enterprise):
    signup = submit_signup()
    assert not signup.user.is_active
    assert list(signup_list_for(user=personas.town_officer)) == [signup]
    signup_decide(actor=personas.town_officer, signup=signup, approve=True)
    user = User.objects.get(username="newco")
    assert user.is_active and enterprise_of_user(user) == enterprise


def test_rejection_needs_a_reason_and_keeps_the_login_inactive(personas, enterprise):
    signup = submit_signup()
    with pytest.raises(ValidationFailed):
        signup_decide(actor=personas.town_officer, signup=signup, approve=False)
    signup = signup_decide(actor=personas.town_officer, signup=signup, approve=False, reason="冒名")
    assert signup.status == SignupStatus.REJECTED
    assert not User.objects.get(username="newco").is_active


def test_another_town_cannot_decide(personas, far_enterprise):
    signup = submit_signup(credit_code=CODES[1])
    with pytest.raises(NotFound):
        signup_decide(actor=personas.town_officer, signup=signup, approve=True)


def test_bad_input_is_reported_field_by_field_and_nothing_written(personas, enterprise):
    with pytest.raises(ValidationFailed) as exc:
        submit_signup(credit_code=CODES[5], contact_phone="123", username="town", password="1")
    fields = {e["field"] for e in exc.value.errors}
    assert {"credit_code", "contact_phone", "password"} <= fields
    assert "username" not in fields  # "town" is an account, which the answer never tells
    assert not User.objects.filter(username="newco").exists()
