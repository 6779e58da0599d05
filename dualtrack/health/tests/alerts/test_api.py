"""The health alerts' API: the list (status, town; constant queries), one alert, handling it
once; problems in Chinese; out of scope 404 with the same body as a missing id, 403 for a role
that may not handle it."""

from __future__ import annotations

from typing import get_args

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualtrack.areas.models import Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core.models import User
from dualtrack.core.tests.helpers import comparable_problem
from dualtrack.health.models import AlertKind, AlertOutcome
from dualtrack.health.schemas.alerts import HealthAlertKind, HealthAlertOutcome
from dualtrack.health.services.alerts import alert_handle

pytestmark = pytest.mark.django_db

API = "/api/health/alerts"
MISSING = 999_999


def _post(client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def test_the_list_gives_the_alert_with_who_it_is_about_to_a_handler(as_user, alert, age):
    age(alert, 31)
    (row,) = as_user("village_cadre").get(API).json()
    assert row["id"] == alert.pk
    assert row["kind"] == "screening_fever" and row["kind_label"] == "摸排发现发热"
    assert row["name"] == "张发热" and row["detail"] == "体温 38.5 °C，咳嗽"
    assert row["proposed"] == "home" and row["proposed_label"] == "居家隔离"
    assert row["is_escalated"] is True and row["may_handle"] is True
    assert row["handled_at"] is None and row["outcome"] == "" and row["note"] == ""


def test_a_role_that_only_views_sees_that_there_is_one(client, alert, personas, district):
    volunteer = User.objects.create_user(username="volunteer", password="x" * 12)
    role_grant_create(
        actor=personas.district_admin, user=volunteer, role=Role.VOLUNTEER, area=district.village
    )
    client.force_login(volunteer)
    (row,) = client.get(API).json()
    assert row["id"] == alert.pk
    assert row["name"] is None and row["detail"] is None and row["note"] is None
    assert row["resident_id"] is None and row["may_handle"] is False
    assert client.get(f"{API}/{alert.pk}").json()["name"] is None


def test_the_list_filters_by_status_and_town(as_user, make_alert, district, personas, far_cadre):
    done = make_alert(name="已处置者")
    alert_handle(actor=personas.village_cadre, alert=done, outcome=AlertOutcome.CLEARED)
    open_one = make_alert(name="未处置者")
    far = make_alert(name="麻丘发热者", area=district.far_group)
    client = as_user("district_admin")
    assert [r["id"] for r in client.get(API).json()] == [far.pk, open_one.pk]
    assert [r["id"] for r in client.get(API, {"status": "handled"}).json()] == [done.pk]
    town = client.get(API, {"status": "all", "town": district.town.pk}).json()
    assert [r["id"] for r in town] == [open_one.pk, done.pk]
    assert client.get(API, {"town": MISSING}).json() == []
    refused = client.get(API, {"status": "closed"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "status", "message": "请选择未处置、已处置或全部。"}
    ]


def test_the_list_runs_the_same_queries_for_two_alerts_as_for_six(as_user, make_alert):
    client = as_user("town_officer")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(API, {"status": "all"}).status_code == 200
        return len(queries)

    for _ in range(2):
        make_alert()
    few = count()
    for _ in range(4):
        make_alert()
    assert count() == few <= 6


def test_the_liaison_handles_it_and_gets_it_back_handled(as_user, alert):
    response = _post(
        as_user("village_cadre"),
        f"{API}/{alert.pk}/handle",
        {"outcome": "hospital", "note": "120 已接走"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "hospital" and body["note"] == "120 已接走"
    assert body["handled_by"] == "cadre" and body["may_handle"] is False
    alert.refresh_from_db()
    assert alert.outcome == AlertOutcome.HOSPITAL


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"outcome": "released"}, "outcome", "请从以下选项中选择："),
        ({}, "outcome", "此项为必填项。"),
        ({"outcome": "cleared", "note": "长" * 301}, "note", "最多 300 个字符。"),
    ],
)
def test_bad_input_is_a_chinese_problem_and_writes_nothing(as_user, alert, body, field, message):
    response = _post(as_user("village_cadre"), f"{API}/{alert.pk}/handle", body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["field"].endswith(field) and error["message"].startswith(message)
    alert.refresh_from_db()
    assert alert.handled_at is None and alert.note == ""


def test_handling_twice_is_a_409(as_user, alert, personas):
    alert_handle(actor=personas.town_officer, alert=alert, outcome=AlertOutcome.QUARANTINED)
    response = _post(as_user("village_cadre"), f"{API}/{alert.pk}/handle", {"outcome": "cleared"})
    assert response.status_code == 409
    assert response.json()["detail"] == "该预警已处置。"
    assert response.json()["code"] == "already_handled"
    alert.refresh_from_db()
    assert alert.outcome == AlertOutcome.QUARANTINED


def test_every_route_out_of_scope_is_404_like_a_missing_id(client, alert, far_cadre):
    client.force_login(far_cadre)
    assert client.get(API).json() == []
    for method, suffix, body in (("get", "", None), ("post", "/handle", {"outcome": "cleared"})):
        if method == "get":
            out, gone = client.get(f"{API}/{alert.pk}"), client.get(f"{API}/{MISSING}")
        else:
            out = _post(client, f"{API}/{alert.pk}{suffix}", body)
            gone = _post(client, f"{API}/{MISSING}{suffix}", body)
        assert out.status_code == gone.status_code == 404
        # The same problem, but for the address it answers.
        assert comparable_problem(out) == comparable_problem(gone)
    alert.refresh_from_db()
    assert alert.handled_at is None


def test_a_role_that_may_not_handle_is_a_403(client, alert, personas):
    client.force_login(personas.checkpoint_staff)
    assert client.get(f"{API}/{alert.pk}").status_code == 200
    response = _post(client, f"{API}/{alert.pk}/handle", {"outcome": "cleared"})
    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.handled_at is None


def test_the_routes_need_an_account(client, alert):
    assert client.get(API).status_code == 401
    assert client.get(f"{API}/{alert.pk}").status_code == 401


def test_the_schemas_take_the_models_values():
    assert set(get_args(HealthAlertKind)) == set(AlertKind.values)
    assert set(get_args(HealthAlertOutcome)) == set(AlertOutcome.values)
