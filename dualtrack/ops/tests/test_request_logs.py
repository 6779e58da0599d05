"""Every request gets an id (the caller's when well-formed), answered in X-Request-ID, carried
by problem+json answers and by one JSON log line a request."""

from __future__ import annotations

import json
import logging

import pytest

from dualtrack.core.services import api_token_create
from dualtrack.ops.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db

HEX32 = r"[0-9a-f]{32}"


@pytest.fixture
def request_log(caplog):
    """The request log's records (its logger does not propagate to the root's handlers)."""
    logger = logging.getLogger("dualtrack.requests")
    logger.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)


def _lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(r)) for r in caplog.records if r.name == "dualtrack.requests"
    ]


def test_one_json_line_a_request_with_the_user_and_the_request_id(client, personas, request_log):
    client.force_login(personas.town_officer)

    response = client.get("/api/account/me?search=360122199001011234")

    (line,) = _lines(request_log)
    assert line["request_id"] == response["X-Request-ID"]
    assert line["method"] == "GET"
    assert line["path"] == "/api/account/me"  # never the query string
    assert "360122199001011234" not in json.dumps(line)
    assert line["status"] == 200
    assert line["user_id"] == personas.town_officer.pk
    assert line["duration_ms"] > 0 and line["db_ms"] >= 0 and line["db_queries"] > 0
    assert line["route"] == "api/account/me"
    assert line["level"] == "info" and line["time"].endswith("+00:00")


def test_a_token_caller_is_logged_by_its_user(client, personas, request_log):
    issued = api_token_create(actor=personas.village_cadre, name="log")
    client.get("/api/account/me", HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    (line,) = _lines(request_log)
    assert line["user_id"] == personas.village_cadre.pk


def test_an_anonymous_request_is_logged_without_a_user(client, request_log):
    client.get("/login/")
    (line,) = _lines(request_log)
    assert line["user_id"] is None and line["status"] == 200


def test_a_well_formed_request_id_is_kept_and_a_bad_one_replaced(client):
    given = "lb-7f3a9c21-2026-12-04"
    assert client.get("/login/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    for bad in ("short", "has space in it x", "x" * 200, "new\nline-header-value", "-leading-dash"):
        answered = client.get("/login/", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert answered != bad
        assert len(answered) == 32 and int(answered, 16) >= 0
    assert client.get("/login/")["X-Request-ID"] != client.get("/login/")["X-Request-ID"]


def test_problem_answers_carry_the_request_id(client, personas):
    refused = client.get("/api/account/me", HTTP_X_REQUEST_ID="client-req-00000001")
    assert refused.status_code == 401
    assert refused.json()["request_id"] == "client-req-00000001"

    client.force_login(personas.town_officer)
    invalid = client.post("/api/account/tokens", "{", content_type="application/json")
    assert invalid.status_code == 400
    assert invalid.json()["request_id"] == invalid["X-Request-ID"]
    missing = client.get("/api/jobs/999999")
    assert missing.status_code == 404
    assert missing.json()["request_id"] == missing["X-Request-ID"]


def test_other_log_lines_of_a_request_carry_its_id(client, caplog):
    """Django's own warning about the 401 is written after the middleware answered."""
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/api/account/me")
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    RequestIdFilter().filter(record)
    assert record.request_id == response["X-Request-ID"]
    assert json.loads(JsonFormatter().format(record))["request_id"] == response["X-Request-ID"]
