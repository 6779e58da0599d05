"""Signing in and out, the lockout after repeated failures, and the pages' security headers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PASSWORD


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(username="alice", password=PASSWORD)


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user(username="bob", password=PASSWORD)


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_is_chinese_by_default_and_has_the_form(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'name="username"' in html and 'name="password"' in html


def test_the_login_form_is_the_first_submit_button_on_the_page(client, db):
    """Browser tests press "button[type=submit]": it must be the sign-in button, not a header
    button such as the language switch."""
    html = client.get(reverse("login")).content.decode()
    first_submit = html.index('type="submit"')
    form_start = html.rindex("<form", 0, first_submit)
    form_tag = html[form_start : html.index(">", form_start)]
    assert f'action="{reverse("login")}"' in form_tag


def test_right_password_signs_in_and_goes_home(client, alice):
    response = _sign_in(client, "alice")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert _signed_in(client)


def test_wrong_password_is_refused_with_a_message(client, alice):
    response = _sign_in(client, "alice", "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not _signed_in(client)


def test_signed_in_user_is_sent_home_from_the_login_page(client, alice):
    client.force_login(alice)
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_pages_require_sign_in(client, db):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_after_five_failures_even_the_right_password_is_refused(client, alice, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(5):
        _sign_in(client, "alice", "wrong-password")
    response = _sign_in(client, "alice")
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert 'id="locked-out"' in html
    assert '<html lang="zh-hans">' in html
    assert response.context["failure_limit"] == 5
    assert not _signed_in(client)


def test_four_failures_do_not_lock(client, alice):
    for _attempt in range(4):
        _sign_in(client, "alice", "wrong-password")
    assert _sign_in(client, "alice").status_code == 302
    assert _signed_in(client)


def test_lockout_does_not_lock_another_user_from_the_same_address(client, alice, bob):
    for _attempt in range(5):
        _sign_in(client, "alice", "wrong-password")
    assert _sign_in(client, "alice").status_code == 429
    response = _sign_in(client, "bob")
    assert response.status_code == 302
    assert _signed_in(client)


def test_lockout_does_not_lock_the_same_user_from_another_address(client, alice):
    for _attempt in range(5):
        _sign_in(client, "alice", "wrong-password", REMOTE_ADDR="10.0.0.7")
    assert _sign_in(client, "alice", REMOTE_ADDR="10.0.0.7").status_code == 429
    assert _sign_in(client, "alice", REMOTE_ADDR="10.0.0.8").status_code == 302


def test_sign_out_takes_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    assert _signed_in(client)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert not _signed_in(client)


def test_pages_send_security_headers_and_scripts_carry_the_csp_nonce(client, db):
    response = client.get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert html.count("<script") == html.count(f'nonce="{nonce}"') >= 2
    assert " on" + "click=" not in html
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
