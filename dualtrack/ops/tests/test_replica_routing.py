"""The read replica router against a real streaming replica (PostgreSQL only, by design: the
replica is PostgreSQL's streaming replication; ``conftest.py`` collects this module only when
the tests run on PostgreSQL, and the router's decisions are tested on both databases in
``test_routing.py``).

The replica is a ``pg_basebackup`` copy of the test server, started once for the module. To
tell where a read went, the replica's replay is paused: a row committed on the primary after the
pause is on the primary only.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dualtrack.areas.tests.factories import make_phone
from dualtrack.checkpoints.services.passages import passage_register
from dualtrack.checkpoints.tests.conftest import make_input
from dualtrack.ops import health
from dualtrack.ops.routing import PIN_COOKIE, REPLICA, replica_pin_seconds, routing
from dualtrack.ops.tests.replica_server import StreamingReplica

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=[DEFAULT_DB_ALIAS, REPLICA]
    ),
    # One process runs them all: each process running one would make its own base backup.
    pytest.mark.xdist_group("streaming-replica"),
]
JSON = "application/json"


@pytest.fixture(scope="module")
def streaming_replica(django_db_setup, django_db_blocker) -> Iterator[StreamingReplica]:
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    server = StreamingReplica(primary)
    try:
        server.start()
        # The alias as the settings make it from DATABASE_REPLICA_URL, known before the tests'
        # database setup, which must let the tests use it (``databases`` below).
        connections.settings[REPLICA] = {
            **primary,
            "HOST": "127.0.0.1",
            "PORT": str(server.port),
            "OPTIONS": {**primary["OPTIONS"], "connect_timeout": 2},
            "TEST": {**primary["TEST"], "MIRROR": DEFAULT_DB_ALIAS},
        }
        yield server
    finally:
        if REPLICA in connections.settings:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
        server.destroy()


@pytest.fixture
def replica(streaming_replica, settings) -> Iterator[StreamingReplica]:
    """The replica as DATABASE_REPLICA_URL names it; reads tolerate its lag unless a test says."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    settings.DATABASE_REPLICA_URL = streaming_replica.url(primary["NAME"])
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 3600.0
    health._replica_cache.clear()
    try:
        yield streaming_replica
    finally:
        streaming_replica.resume_replay()
        connections[REPLICA].close()
        health._replica_cache.clear()


@pytest.fixture
def gate(personas, checkpoint, shift, replica):
    """The checkpoint's staff signed in, on a client of their own, the replica caught up."""
    replica.wait_for_replay()
    # The test client raises any exception a request met, even one the request recovered from
    # (a query failing on the replica, the request run again on the primary): a browser sees
    # the answer, as here.
    client = Client(raise_request_exception=False)
    client.force_login(personas.checkpoint_staff)
    return client


def _listed(client: Client, checkpoint) -> list[str]:
    response = client.get(f"/api/checkpoints/checkpoints/{checkpoint.pk}/passages")
    assert response.status_code == 200
    return [item["name"] for item in response.json()["items"]]


def _on_primary_only(replica, personas, checkpoint, name: str) -> None:
    """A passage committed on the primary while the replica does not replay it."""
    replica.pause_replay()
    passage_register(
        actor=personas.checkpoint_staff, checkpoint=checkpoint, data=make_input(name=name)
    )


def test_reads_go_to_the_replica_and_a_writers_reads_to_the_primary(
    gate, replica, personas, checkpoint
):
    _on_primary_only(replica, personas, checkpoint, "只在主库")
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        names = _listed(gate, checkpoint)
    assert "只在主库" not in names  # the replica has not replayed it: the list was read there
    assert any("checkpoints_passage" in q["sql"] for q in on_replica.captured_queries)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:  # the figures' own SQL too
        assert gate.get("/api/checkpoints/figures").status_code == 200
    assert any("checkpoints_alert" in q["sql"] for q in on_replica.captured_queries)

    # A write goes to the primary (the replica is read-only and, here, not replaying), and the
    # writer's next pages are read there, on any app server (the cookie), for a while.
    body = {
        "direction": "in", "temperature": "36.5", "name": "刚登记", "phone": make_phone(),
        "origin_code": "360111", "purpose": "回家", "notice_given": True,
    }  # fmt: skip
    response = gate.post(
        f"/api/checkpoints/checkpoints/{checkpoint.pk}/passages", json.dumps(body), JSON
    )
    assert response.status_code == 201, response.content
    assert response.cookies[PIN_COOKIE]["max-age"] == replica_pin_seconds()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert {"刚登记", "只在主库"} <= set(_listed(gate, checkpoint))
    assert on_replica.captured_queries == []
    cadre = Client()  # another user, who wrote nothing, still reads the replica
    cadre.force_login(personas.village_cadre)
    assert not {"刚登记", "只在主库"} & set(_listed(cadre, checkpoint))

    # Inside one request, the reads after a write go to the primary.
    with routing(replica=True) as state:
        passage = passage_register(
            actor=personas.checkpoint_staff, checkpoint=checkpoint, data=make_input()
        )
        assert state.wrote
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert type(passage).objects.filter(pk=passage.pk).exists()
    assert on_replica.captured_queries == []

    replica.resume_replay()
    replica.wait_for_replay()
    assert {"刚登记", "只在主库"} <= set(_listed(cadre, checkpoint))


def test_a_lagging_replica_sends_reads_back_to_the_primary(
    gate, replica, personas, checkpoint, settings, client
):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0.5
    _on_primary_only(replica, personas, checkpoint, "副本落后")
    time.sleep(1.0)  # the replica is now more than half a second behind
    health._replica_cache.clear()
    assert "副本落后" in _listed(gate, checkpoint)
    replica_check = client.get("/healthz").json()["checks"]["replica"]
    assert replica_check["lag_seconds"] > 0.5
    metrics = client.get("/metrics").content.decode()
    lag_line = next(x for x in metrics.splitlines() if x.startswith("dualtrack_replica_lag"))
    assert float(lag_line.split()[-1]) > 0.5


def test_a_lost_replica_sends_reads_back_to_the_primary(
    gate, replica, personas, checkpoint, settings
):
    passage_register(
        actor=personas.checkpoint_staff, checkpoint=checkpoint, data=make_input(name="副本停了")
    )
    replica.wait_for_replay()
    page = f"/checkpoints/{checkpoint.pk}/register/"
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert "副本停了" in gate.get(page).content.decode()  # read there, connection kept
    assert on_replica.captured_queries
    replica.stop()  # under the open connection, while the measurement still says it is fine
    try:
        response = gate.get(page)  # the page's view fails on the replica and runs again
        assert response.status_code == 200
        assert "副本停了" in response.content.decode()
        check = health.check_replica()
        assert check is not None and check.status == health.DEGRADED  # lost until measured
        assert "副本停了" in _listed(gate, checkpoint)

        # A measurement a moment ago found it fine; the API's reads fail to connect, the API
        # answers its own error, and the whole request runs again on the primary.
        health._replica_cache[settings.DATABASE_REPLICA_URL] = (
            time.monotonic(),
            health.Check(health.OK, {"lag_seconds": 0.0}),
        )
        assert "副本停了" in _listed(gate, checkpoint)
        assert health.check_replica().status == health.DEGRADED  # type: ignore[union-attr]
    finally:
        replica.run_ctl("start")
