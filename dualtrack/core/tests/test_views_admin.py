"""The kernel's admin: accounts, tokens and the audit trail are for superusers only, read-only
where they hold history, and never show a token's digest."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dualtrack.core.services import api_token_create


@pytest.fixture
def staff(django_user_model):
    """Admin access with every permission of the kernel's models, but not a superuser."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="staff", password="unused-here-123", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="core"))
    return user


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="root", password="unused-here-123", email="root@example.org"
    )


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:core_user_changelist",
        "admin:core_apitoken_changelist",
        "admin:core_auditentry_changelist",
    ],
)
def test_staff_who_are_not_superusers_cannot_open_kernel_admin(client, staff, url_name):
    client.force_login(staff)
    assert client.get(reverse(url_name)).status_code == 403


def test_superuser_sees_tokens_without_their_digest(client, superuser):
    issued = api_token_create(actor=superuser, name="script")
    client.force_login(superuser)
    listing = client.get(reverse("admin:core_apitoken_changelist"))
    assert listing.status_code == 200
    assert issued.token.prefix in listing.content.decode()
    detail = client.get(reverse("admin:core_apitoken_change", args=[issued.token.pk]))
    assert detail.status_code == 200
    assert issued.token.digest not in detail.content.decode()
    assert issued.raw not in detail.content.decode()


def test_audit_entries_cannot_be_changed_or_deleted_in_admin(client, superuser):
    api_token_create(actor=superuser, name="script")
    client.force_login(superuser)
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    listing = client.get(reverse("admin:core_auditentry_changelist"))
    assert listing.status_code == 200
    entry = listing.context["cl"].result_list[0]
    delete = client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert delete.status_code == 403


def test_superuser_cannot_edit_a_users_language_in_admin(client, superuser, staff):
    client.force_login(superuser)
    response = client.get(reverse("admin:core_user_change", args=[staff.pk]))
    assert response.status_code == 200
    assert 'name="language"' not in response.content.decode()
    assert 'name="display_name"' in response.content.decode()
