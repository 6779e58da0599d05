"""The read replica router's decisions, on both databases (the real replica's tests, on
PostgreSQL, are in test_replica_routing.py): which alias a read takes in which state, when a
browser is pinned to the primary, and when the replica's lag sends reads back."""

from __future__ import annotations

import json
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, transaction

from dualtrack.areas.tests.factories import make_phone
from dualtrack.checkpoints.models import Passage
from dualtrack.ops import health, routing
from dualtrack.ops.routing import PIN_COOKIE, REPLICA, ReplicaRouter


@pytest.fixture
def router():
    return ReplicaRouter()


def test_outside_a_request_every_read_uses_the_primary(router):
    assert router.db_for_read(Passage) == DEFAULT_DB_ALIAS


def test_a_read_only_request_reads_the_replica_until_it_writes(router):
    with routing.routing(replica=True) as state:
        assert router.db_for_read(Passage) == REPLICA
        assert state.used_replica
        assert router.db_for_write(Passage) == DEFAULT_DB_ALIAS
        assert state.wrote
        assert router.db_for_read(Passage) == DEFAULT_DB_ALIAS  # reads after a write


def test_sessions_lockouts_cache_and_tasks_stay_on_the_primary_and_pin_nothing(router):
    with routing.routing(replica=True) as state:
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
        router.db_for_write(Session)  # a GET that touches its session is still read-only
        assert not state.wrote
        assert router.db_for_read(Passage) == REPLICA


@pytest.mark.django_db
def test_reads_inside_a_transaction_use_the_primary(router):
    with routing.routing(replica=True), transaction.atomic():
        assert router.db_for_read(Passage) == DEFAULT_DB_ALIAS


def test_a_pinned_request_reads_the_primary(router):
    with routing.routing(replica=False):
        assert router.db_for_read(Passage) == DEFAULT_DB_ALIAS


def test_nothing_is_migrated_on_the_replica(router):
    assert router.allow_migrate(REPLICA, "checkpoints") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "checkpoints") is None


def test_the_pin_outlasts_the_tolerated_lag_and_its_measurements_age(settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 10.0
    settings.HEALTH_REPLICA_CACHE_SECONDS = 5.0
    assert routing.replica_pin_seconds() == 16


@pytest.fixture
def measured(settings):
    """``measured(check)``: the replica's last measurement, taken a moment ago."""
    settings.DATABASE_REPLICA_URL = "postgres://postgres@127.0.0.1:1/replica"
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 2.0

    def record(check: health.Check) -> None:
        health._replica_cache[settings.DATABASE_REPLICA_URL] = (time.monotonic(), check)

    yield record
    health._replica_cache.clear()


def test_reads_use_the_replica_only_while_it_keeps_up(measured, settings):
    measured(health.Check(health.OK, {"lag_seconds": 1.5}))
    assert health.replica_reads_allowed()
    measured(health.Check(health.OK, {"lag_seconds": 2.5}))  # fine for /healthz, not for reads
    assert not health.replica_reads_allowed()
    measured(health.Check(health.DEGRADED, {"error": "OperationalError"}))
    assert not health.replica_reads_allowed()
    measured(health.Check(health.OK, {"lag_seconds": 0.0}))
    health.replica_lost("query failed")  # a query failed on it: lost until measured again
    assert not health.replica_reads_allowed()
    settings.DATABASE_REPLICA_URL = ""
    assert not health.replica_reads_allowed()


def test_without_a_replica_no_answer_sets_the_pin(as_user, personas, checkpoint, shift):
    gate = as_user("checkpoint_staff")
    body = {"direction": "in", "temperature": "36.5", "name": "王五", "phone": make_phone()}
    response = gate.post(
        f"/api/checkpoints/checkpoints/{checkpoint.pk}/passages",
        json.dumps(body),
        "application/json",
    )
    assert response.status_code == 201, response.content
    assert PIN_COOKIE not in response.cookies


def test_with_a_replica_a_write_pins_the_browser_and_a_read_does_not(
    as_user, personas, checkpoint, shift, monkeypatch
):
    monkeypatch.setattr(routing, "replica_configured", lambda: True)
    decided: list[bool] = []

    def allowed() -> bool:
        decided.append(True)
        return False  # the replica lags: this test's reads stay on the primary

    monkeypatch.setattr(routing, "replica_reads_allowed", allowed)
    gate = as_user("checkpoint_staff")
    listing = f"/api/checkpoints/checkpoints/{checkpoint.pk}/passages"
    read = gate.get(listing)
    assert read.status_code == 200
    assert PIN_COOKIE not in read.cookies
    assert decided == [True]  # a read-only request asks whether the replica may serve it
    body = {"direction": "in", "temperature": "36.5", "name": "王五", "phone": make_phone()}
    wrote = gate.post(listing, json.dumps(body), "application/json")
    assert wrote.status_code == 201
    assert wrote.cookies[PIN_COOKIE]["max-age"] == routing.replica_pin_seconds()
    assert wrote.cookies[PIN_COOKIE]["httponly"]
    assert gate.get(listing).status_code == 200  # the cookie is sent back: pinned
    assert decided == [True]  # not asked again: the pinned browser reads the primary
