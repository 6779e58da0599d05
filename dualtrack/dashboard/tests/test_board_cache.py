"""The panels of a board are computed once per refresh interval for a user with their grants, on
a day, in a language: the page's first answer and the API's refreshes within it read no app's
records again; access is checked before, every time; another user, a changed grant, another
board, day or language is another computation."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from dualtrack.areas.models import Role, RoleGrant
from dualtrack.areas.scoping import scope_for
from dualtrack.core.models import User
from dualtrack.dashboard.selectors import _board_key, board_panels_for

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
