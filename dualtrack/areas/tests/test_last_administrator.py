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
from dualtrack.core.errors import NotFound
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


ROUNDS = 5


def _together(barrier, call, *args) -> None:
    barrier.wait()
    call(*args)


@pytest.mark.django_db(transaction=True)
def test_two_administrators_revoking_each_other_at_once_leave_one(district_admin, district):
    """On PostgreSQL, two threads (two connections) revoke each other's grant at the same moment,
    round after round: the district's administering grants are locked first, so one revoke waits,
    sees the other's done, and is refused. SQLite serialises writers itself; there the two run in
    turn."""
    import threading

    from django.db import connection, connections

    def revoke(actor: User, grant: RoleGrant, outcomes: list[str]) -> None:
        try:
            role_grant_revoke(actor=actor, grant=grant)
            result = "revoked"
        except (LastAdministrator, NotFound):  # in turn, the loser has no grant left to act with
            result = "refused"
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()
        outcomes.append(result)  # list.append is atomic

    admin = district_admin
    for round_number in range(ROUNDS):
        other = User.objects.create_user(f"admin_{round_number}")
        role_grant_create(actor=admin, user=other, role=Role.DISTRICT_ADMIN, area=district.root)
        grants = {g.user_id: g for g in RoleGrant.objects.filter(role=Role.DISTRICT_ADMIN)}
        calls = [(admin, grants[other.pk]), (other, grants[admin.pk])]
        outcomes: list[str] = []
        if connection.vendor == "postgresql":
            barrier = threading.Barrier(len(calls))

            threads = [
                threading.Thread(target=_together, args=(barrier, revoke, *call, outcomes))
                for call in calls
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        else:
            for actor, grant in calls:
                revoke(actor, grant, outcomes)
        assert sorted(outcomes) == ["refused", "revoked"], round_number
        survivors = RoleGrant.objects.filter(role=Role.DISTRICT_ADMIN, area=district.root)
        assert survivors.count() == 1, round_number
        admin = survivors.get().user
