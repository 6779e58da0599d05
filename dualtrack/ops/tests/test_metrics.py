"""/metrics: Prometheus's text format, the requests' counts, latency and database time, and the
district's operational figures; answered only to the allowed addresses or the bearer token."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY

from dualtrack.ops.heartbeat import beat

pytestmark = pytest.mark.django_db

ELSEWHERE = "203.0.113.9"


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _scrape(client, **extra) -> str:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.content.decode()


def _value(text: str, name: str) -> float:
    (line,) = [line for line in text.splitlines() if line.startswith(name + " ")]
    return float(line.split()[1])


def test_the_districts_figures_are_read_at_each_scrape(client, register):
    text = _scrape(client)
    assert _value(text, "dualtrack_registrations_last_minute") == 0
    assert _value(text, "dualtrack_workers_alive") == 0
    assert "dualtrack_worker_heartbeat_age_seconds" not in text  # no worker ever beat

    register()
    register(temperature=Decimal("38.4"))
    beat("worker-1", started_at=timezone.now())
    text = _scrape(client)

    assert _value(text, "dualtrack_registrations_last_minute") == 2
    assert _value(text, "dualtrack_task_queue_depth") == 0
    assert _value(text, "dualtrack_workers_alive") == 1
    assert _value(text, "dualtrack_worker_heartbeat_age_seconds") < 60


def test_requests_are_counted_by_route_with_their_latency_and_database_time(client, personas):
    route = "api/account/me"
    before = {
        "count": _sample("dualtrack_http_requests_total", method="GET", route=route, status="200"),
        "latency": _sample(
            "dualtrack_http_request_duration_seconds_count", method="GET", route=route
        ),
        "db": _sample("dualtrack_http_request_db_seconds_sum", method="GET", route=route),
        "queries": _sample("dualtrack_db_queries_total", method="GET"),
    }
    client.force_login(personas.town_officer)

    assert client.get("/api/account/me").status_code == 200

    assert (
        _sample("dualtrack_http_requests_total", method="GET", route=route, status="200")
        == before["count"] + 1
    )
    assert (
        _sample("dualtrack_http_request_duration_seconds_count", method="GET", route=route)
        == before["latency"] + 1
    )
    assert (
        _sample("dualtrack_http_request_db_seconds_sum", method="GET", route=route) > before["db"]
    )
    assert _sample("dualtrack_db_queries_total", method="GET") > before["queries"]


def test_paths_and_methods_nobody_declared_make_no_new_series(client):
    client.get("/no/such/page/nobody-declared")
    client.generic("BREW", "/healthz")
    assert _sample("dualtrack_http_requests_total", method="GET", route="unmatched", status="404")
    assert _sample("dualtrack_http_requests_total", method="other", route="healthz", status="405")
    text = _scrape(client)
    # (a word, not a number: a latency's digits once held "12345")
    assert "nobody-declared" not in text and "BREW" not in text


def test_metrics_are_refused_to_other_addresses_as_if_absent(client, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR=ELSEWHERE).status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/no-such-page", REMOTE_ADDR=ELSEWHERE).status_code == 404


def test_the_bearer_token_opens_metrics_from_anywhere_and_a_wrong_one_nowhere(client, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    assert (
        client.get(
            "/metrics", REMOTE_ADDR=ELSEWHERE, HTTP_AUTHORIZATION="Bearer s3cret-scrape-token"
        ).status_code
        == 200
    )
    assert (
        client.get("/metrics", REMOTE_ADDR=ELSEWHERE, HTTP_AUTHORIZATION="Bearer guess").status_code
        == 404
    )
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer guess").status_code == 404


def test_an_allow_list_open_to_the_world_fails_the_checks(settings):
    from django.core.checks import run_checks

    settings.METRICS_ALLOWED_IPS = ["0.0.0.0/0"]
    assert "ops.E002" in {e.id for e in run_checks()}
    settings.METRICS_ALLOWED_IPS = ["not-an-address"]
    assert "ops.E001" in {e.id for e in run_checks()}


def test_loopback_without_a_token_is_warned_of_in_a_deployment(settings):
    from django.core.checks import run_checks

    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    settings.METRICS_TOKEN = ""
    assert "ops.W001" in {e.id for e in run_checks(include_deployment_checks=True)}
    settings.METRICS_TOKEN = "a-token"
    assert "ops.W001" not in {e.id for e in run_checks(include_deployment_checks=True)}
