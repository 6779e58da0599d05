"""The district's last grant that may grant roles cannot be taken away: not by its holder, not by
anyone, through the API or the page; once another holds it, it can."""

from __future__ import annotations

import pytest
from django.test import Client

from dualtrack.areas.models import Role, RoleGrant
from dualtrack.areas.services.organisation import (
    LastAdministrator,
    role_grant_create,
    role_grant_revoke,
)
from dualtrack.core.models import User
from dualtrack.core.tests.helpers import problem_of

pytestmark = pytest.mark.django_db

URL = "/api/areas/role-grants"


def _admin_grant(personas) -> RoleGrant:
    return RoleGrant.objects.get(user=personas.district_admin, role=Role.DISTRICT_ADMIN)


def test_the_only_administrator_cannot_revoke_their_own_grant_through_the_api(as_user, personas):
    grant = _admin_grant(personas)
    body = problem_of(
        as_user("district_admin").delete(f"{URL}/{grant.pk}"), 409, "last_administrator"
    )
    assert "最后" in body["detail"]
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_the_only_administrator_cannot_revoke_their_own_grant_on_the_page(personas):
    grant = _admin_grant(personas)
    client = Client()
    client.force_login(personas.district_admin)
    url = f"/staff/{personas.district_admin.pk}/grants/{grant.pk}/revoke/"
    page = client.post(url, follow=True)
    assert page.status_code == 200
    assert "最后" in page.content.decode()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_an_inactive_second_administrator_does_not_count(personas, district):
    idle = User.objects.create_user("idle_admin", is_active=False)
    RoleGrant.objects.create(user=idle, role=Role.DISTRICT_ADMIN, area=district.root)
    with pytest.raises(LastAdministrator):
        role_grant_revoke(actor=personas.district_admin, grant=_admin_grant(personas))


def test_with_a_second_administrator_the_grant_can_be_revoked(as_user, personas, district):
    second = User.objects.create_user("second_admin")
    role_grant_create(
        actor=personas.district_admin, user=second, role=Role.DISTRICT_ADMIN, area=district.root
    )
    grant = _admin_grant(personas)
    assert as_user("district_admin").delete(f"{URL}/{grant.pk}").status_code == 204
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    # And now the second is the last.
    last = RoleGrant.objects.get(user=second)
    with pytest.raises(LastAdministrator):
        role_grant_revoke(actor=second, grant=last)
