"""The profile page: the user's API tokens, shown once on creation, and revoked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dualtrack.core.models import ApiToken
from dualtrack.core.services import api_token_authenticate, api_token_create, token_digest

RAW_TOKEN = re.compile(r'<code id="new-token" class="token-value">(dt_[A-Za-z0-9_-]+)</code>')


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(username="alice", password="unused-here-123")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user(username="bob", password="unused-here-123")


def test_profile_lists_only_the_users_own_tokens(client, alice, bob):
    api_token_create(actor=alice, name="gate 3 tablet")
    api_token_create(actor=bob, name="bob's script")
    client.force_login(alice)
    response = client.get(reverse("profile"))
    assert response.status_code == 200
    assert [t.name for t in response.context["tokens"]] == ["gate 3 tablet"]
    assert "bob&#x27;s script" not in response.content.decode()


def test_new_token_is_shown_once_and_works(client, alice):
    client.force_login(alice)
    response = client.post(reverse("api_token_create"), {"name": "gate 3 tablet"})

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    match = RAW_TOKEN.search(response.content.decode())
    assert match, "the raw token is on the page"
    raw = match.group(1)
    token = ApiToken.objects.get(user=alice)
    assert token.digest == token_digest(raw)
    assert api_token_authenticate(raw) == alice

    again = client.get(reverse("profile")).content.decode()
    assert raw not in again
    assert token.prefix in again


def test_token_without_a_name_shows_the_error_and_creates_nothing(client, alice):
    client.force_login(alice)
    response = client.post(reverse("api_token_create"), {"name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert 'class="field-error"' in response.content.decode()
    assert not RAW_TOKEN.search(response.content.decode())
    assert not ApiToken.objects.exists()


def test_a_second_active_token_with_the_same_name_is_refused(client, alice):
    api_token_create(actor=alice, name="gate 3 tablet")
    client.force_login(alice)
    response = client.post(reverse("api_token_create"), {"name": "gate 3 tablet"})
    assert response.context["form"].non_field_errors()
    assert ApiToken.objects.count() == 1


def test_revoke_stops_the_token(client, alice):
    issued = api_token_create(actor=alice, name="gate 3 tablet")
    client.force_login(alice)
    response = client.post(reverse("api_token_revoke", args=[issued.token.pk]))
    assert response.status_code == 302
    assert response.url == reverse("profile")
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert api_token_authenticate(issued.raw) is None
    page = client.get(reverse("profile")).content.decode()
    assert reverse("api_token_revoke", args=[issued.token.pk]) not in page


def test_revoking_twice_shows_a_message(client, alice):
    issued = api_token_create(actor=alice, name="gate 3 tablet")
    client.force_login(alice)
    client.post(reverse("api_token_revoke", args=[issued.token.pk]), follow=True)
    response = client.post(reverse("api_token_revoke", args=[issued.token.pk]), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_someone_elses_token_cannot_be_revoked(client, alice, bob):
    issued = api_token_create(actor=bob, name="bob's script")
    client.force_login(alice)
    response = client.post(reverse("api_token_revoke", args=[issued.token.pk]))
    assert response.status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_revoke_takes_a_post(client, alice):
    issued = api_token_create(actor=alice, name="gate 3 tablet")
    client.force_login(alice)
    assert client.get(reverse("api_token_revoke", args=[issued.token.pk])).status_code == 405
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None
