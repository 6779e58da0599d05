"""The language switch in the page header."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from dualtrack.core.models import AuditEntry


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(username="alice", password="unused-here-123")


def _switch(client, language, next_url="/profile/"):
    return client.post(reverse("language"), {"language": language, "next": next_url})


def test_signed_in_switch_changes_the_page_language_and_persists_on_the_user(client, alice):
    client.force_login(alice)
    assert '<html lang="zh-hans">' in client.get(reverse("profile")).content.decode()

    response = _switch(client, "en")

    assert response.status_code == 302
    assert response.url == "/profile/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    alice.refresh_from_db()
    assert alice.language == "en"
    assert AuditEntry.objects.filter(target_id=str(alice.pk), action="update").exists()
    assert '<html lang="en">' in client.get(reverse("profile")).content.decode()


def test_the_users_choice_follows_them_to_a_new_browser(client, alice):
    client.force_login(alice)
    _switch(client, "en")
    client.cookies.clear()
    client.force_login(alice)
    assert '<html lang="en">' in client.get(reverse("profile")).content.decode()


def test_anonymous_switch_sets_the_cookie_only(client, db):
    response = _switch(client, "en", next_url=reverse("login"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()
    assert not AuditEntry.objects.exists()


def test_switching_back_to_chinese(client, alice):
    client.force_login(alice)
    _switch(client, "en")
    _switch(client, "zh-hans")
    alice.refresh_from_db()
    assert alice.language == "zh-hans"
    assert '<html lang="zh-hans">' in client.get(reverse("profile")).content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/profile/", "javascript:alert(1)", ""]
)
def test_next_outside_the_site_is_ignored(client, alice, next_url):
    client.force_login(alice)
    response = _switch(client, "en", next_url=next_url)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_unknown_language_is_refused_and_nothing_changes(client, alice):
    client.force_login(alice)
    response = _switch(client, "fr")
    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.language == "zh-hans"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_switch_takes_a_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("language"), {"language": "en"}).status_code == 405
    alice.refresh_from_db()
    assert alice.language == "zh-hans"
