"""The public sign-up never tells whether an account exists: a username another account holds
gets the same answer as a free one, and the request is recorded under that name with a random
suffix (the town tells the contact the login name when it approves)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import PASSWORD
from dualtrack.core.models import User
from dualtrack.enterprises.models import EnterpriseSignup
from dualtrack.enterprises.services.signups import signup_submit

from .conftest import CODES, submit_signup

pytestmark = pytest.mark.django_db


def _post(client, username: str):
    return client.post(
        reverse("portal_signup"),
        {
            "credit_code": CODES[0],
            "contact_name": "李四",
            "contact_phone": "13900139000",
            "username": username,
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )


def _answer(response) -> str:
    """The page without its per-request values (CSRF token, CSP nonce)."""
    text = re.sub(r'nonce="[^"]*"', "", response.content.decode())
    return "".join(line for line in text.splitlines() if "csrf" not in line.lower())


def test_a_taken_username_gets_the_same_answer_as_a_free_one(client, personas, enterprise):
    officer_password = User.objects.get(username="town").password
    taken = _post(client, "town")  # the town officer's login
    free = _post(client, "brandnew")
    assert taken.status_code == free.status_code == 200
    assert _answer(taken) == _answer(free)
    assert 'data-testid="signup-done"' in taken.content.decode()
    officer = User.objects.get(username="town")
    assert officer.is_active and officer.password == officer_password
    assert not hasattr(officer, "enterprise_signup")


@pytest.mark.parametrize("asked", ["town", "TOWN"])
def test_the_request_is_recorded_under_the_name_with_a_random_suffix(personas, enterprise, asked):
    signup = signup_submit(
        credit_code=CODES[0],
        contact_name="李四",
        contact_phone="13900139000",
        username=asked,
        password=PASSWORD,
    )
    login = signup.user.username
    assert login.startswith(f"{asked}-") and len(login) == len(asked) + 6
    assert not signup.user.is_active
    assert EnterpriseSignup.objects.get().user.username == login


def test_a_free_username_is_kept_as_asked(enterprise):
    signup = submit_signup()
    assert signup.user.username == "newco"
