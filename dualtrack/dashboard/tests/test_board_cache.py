"""The panels of a board are computed once per refresh interval for a sight (the user's grants
and what else of the user the panels read), on a day, in a language: the page's first answer and
the API's refreshes within it read no app's records again, nor another user's with the same
sight; access is checked before, every time; other grants, an enterprise login, other gates or
sites staffed, another board, day or language is another computation."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from dualtrack.areas.models import Role, RoleGrant
from dualtrack.areas.scoping import scope_for
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.checkpoints.services.registry import checkpoint_create, checkpoint_staff_set
from dualtrack.core import platform
from dualtrack.core.models import User
from dualtrack.dashboard.selectors import _board_key, board_panels_for
from dualtrack.enterprises.models import EnterpriseMember
from dualtrack.enterprises.tests.factories import EnterpriseFactory
from dualtrack.health.services.quarantine_sites import site_create, site_staff_set

pytestmark = pytest.mark.django_db


def _statements(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_refreshes_within_the_interval_read_no_records_again(as_user, district, settings):
    settings.DASHBOARD_REFRESH_SECONDS = 60
    client = as_user("commander")
    first, _ = _statements(client, "/dashboard/")
    api = f"/api/dashboard/boards/{district.root.pk}"
    again, answer = _statements(client, api)
    # The signed-in user, their grants, the board: no panel's statement.
    assert again <= 6 < first
    assert {p["key"] for p in answer.json()["panels"]} >= {"command.overdue", "checkpoints.map"}
    assert _statements(client, api)[1].json() == answer.json()


def test_with_no_interval_every_answer_is_computed(as_user, district, settings):
    settings.DASHBOARD_REFRESH_SECONDS = 0
    client = as_user("commander")
    api = f"/api/dashboard/boards/{district.root.pk}"
    first = _statements(client, api)[0]
    assert _statements(client, api)[0] == first


def test_access_is_checked_before_the_kept_answer(as_user, personas, district, settings):
    settings.DASHBOARD_REFRESH_SECONDS = 60
    client = as_user("town_officer")
    api = f"/api/dashboard/boards/{district.town.pk}"
    assert client.get(api).status_code == 200
    RoleGrant.objects.filter(user=personas.town_officer).delete()
    assert client.get(api).status_code == 403


def test_the_key_is_the_users_grants_board_day_and_language(personas, district):
    day = timezone.localdate()
    commander = personas.commander
    key = _board_key(commander, district.root, day)
    assert key != _board_key(personas.district_admin, district.root, day)
    assert key != _board_key(commander, district.town, day)
    assert key != _board_key(commander, district.root, day - datetime.timedelta(days=1))
    with translation.override("en"):
        assert key != _board_key(commander, district.root, day)
    RoleGrant.objects.create(user=commander, role=Role.TOWN_OFFICER, area=district.other_town)
    fresh = User.objects.get(pk=commander.pk)
    assert scope_for(fresh).grants != scope_for(commander).grants
    assert _board_key(fresh, district.root, day) != key
    # The same user, grants, board, day and language: the same board.
    assert board_panels_for(user=commander, area=district.root) == board_panels_for(
        user=commander, area=district.root
    )


def _granted(personas, username, role, area):
    user = User.objects.create_user(username=username, password="x")
    role_grant_create(actor=personas.district_admin, user=user, role=role, area=area)
    return User.objects.get(pk=user.pk)


def test_two_users_with_the_same_grants_share_one_computation(client, personas, district, settings):
    settings.DASHBOARD_REFRESH_SECONDS = 60
    second = _granted(personas, "commander2", Role.COMMANDER, district.root)
    api = f"/api/dashboard/boards/{district.root.pk}"
    client.force_login(personas.commander)
    first, answer = _statements(client, api)
    client.force_login(second)
    shared, again = _statements(client, api)
    # The second commander's user, grants, enterprise and board: no panel's statement.
    assert shared <= 7 < first
    assert again.json() == answer.json()
    day = timezone.localdate()
    assert _board_key(second, district.root, day) == _board_key(
        personas.commander, district.root, day
    )


def test_other_grants_or_an_enterprise_login_do_not_share(client, personas, district, settings):
    """Think of a login with the commander's grant that is also an enterprise's: its jobs,
    subsidies and supplies are its enterprise's alone, so it must never read the board computed
    for the commander (nor the commander its)."""
    settings.DASHBOARD_REFRESH_SECONDS = 60
    enterprise = EnterpriseFactory(actor=personas.district_admin, town=district.town)
    member = _granted(personas, "ent_commander", Role.COMMANDER, district.root)
    EnterpriseMember.objects.create(user=member, enterprise=enterprise)
    officer = _granted(personas, "town2", Role.TOWN_OFFICER, district.town)
    day = timezone.localdate()
    commander_key = _board_key(personas.commander, district.root, day)
    assert _board_key(member, district.root, day) != commander_key
    assert _board_key(personas.district_admin, district.root, day) != commander_key
    # Two town officers of the same town share theirs; the commander's board of it is another.
    assert _board_key(officer, district.town, day) == _board_key(
        personas.town_officer, district.town, day
    )
    assert _board_key(officer, district.town, day) != _board_key(
        personas.commander, district.town, day
    )
    api = f"/api/dashboard/boards/{district.root.pk}"
    client.force_login(personas.commander)
    first, _answer = _statements(client, api)
    client.force_login(member)
    # Computed again for the enterprise login (a board read from the cache costs at most 7, as
    # above), and less of it: the enterprises' panels give such a login no town's figures.
    assert 7 < _statements(client, api)[0] < first


def test_the_gates_or_sites_a_user_staffs_are_part_of_the_key(personas, district):
    """A checkpoint's staff and a quarantine site's see only where they are on the staff: with
    the same grants, other gates or sites are another sight."""
    admin = personas.district_admin
    gate = checkpoint_create(actor=admin, area=district.village, name="艾溪村东口")
    site = site_create(actor=admin, area=district.town, name="昌东镇隔离点", rooms=10, capacity=10)
    users = []
    for n in range(3):
        user = _granted(personas, f"officer{n}", Role.TOWN_OFFICER, district.town)
        role_grant_create(actor=admin, user=user, role=Role.CHECKPOINT_STAFF, area=district.village)
        role_grant_create(actor=admin, user=user, role=Role.SITE_STAFF, area=district.town)
        users.append(user)
    day = timezone.localdate()
    keys = [_board_key(User.objects.get(pk=u.pk), district.town, day) for u in users]
    assert keys[0] == keys[1] == keys[2]
    checkpoint_staff_set(actor=admin, checkpoint=gate, users=[users[0]])
    site_staff_set(actor=admin, site=site, users=[users[1]])
    keys = [_board_key(User.objects.get(pk=u.pk), district.town, day) for u in users]
    assert len(set(keys)) == 3


def test_a_panel_that_does_not_say_what_it_reads_is_shared_with_nobody(
    personas, district, monkeypatch
):
    second = _granted(personas, "commander2", Role.COMMANDER, district.root)
    day = timezone.localdate()
    assert _board_key(second, district.root, day) == _board_key(
        personas.commander, district.root, day
    )
    every = platform.panels()
    undeclared = platform.Panel(
        key="test.mine", title="Mine", track="prevention", chart="figures", data=lambda **kw: None
    )
    monkeypatch.setattr(platform, "panels", lambda: [*every, undeclared])
    assert _board_key(second, district.root, day) != _board_key(
        personas.commander, district.root, day
    )
