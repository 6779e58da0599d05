"""Two devices syncing the same rows at once, in opposite orders: both answer 200, each row once.

On PostgreSQL two threads, each with its own connection, POST the same batch at the same moment,
one in the order given, the other reversed. Written in the order the rows came, each batch's
inserts took the other's client ids' index entries in the opposite order, and PostgreSQL broke
the deadlock by failing one of them: a 500. SQLite serialises writers itself, so there the two
batches go one after another and the same outcome is checked.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import F, Sum
from django.test import Client

from dualtrack.checkpoints.models import DailyFigure, Passage
from dualtrack.checkpoints.services import passage_insert
from dualtrack.checkpoints.tests.test_services_sync import row

ROUNDS = 6
ROWS = 1000
URL = "/api/checkpoints/passages/sync"


def _post(client: Client, rows: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
    try:
        response = client.post(URL, json.dumps({"rows": rows}), content_type="application/json")
        status, body = response.status_code, response.json()
    except Exception as exc:  # an unhandled error is what the test looks for
        status, body = 500, {"error": repr(exc)}
    finally:
        if threading.current_thread() is not threading.main_thread():
            connections.close_all()  # the thread's own connection, not the test's
    return status, body


def _at_once(devices: list[Client], batches: list[list]) -> list[tuple[int, dict[str, Any]]]:
    """Each device POSTs its batch from its own thread (and connection), started together."""
    answers: list[tuple[int, dict[str, Any]]] = [(0, {})] * len(devices)
    barrier = threading.Barrier(len(devices))

    def sync(i: int) -> None:
        barrier.wait()
        answers[i] = _post(devices[i], batches[i])

    threads = [threading.Thread(target=sync, args=(i,)) for i in range(len(devices))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


@pytest.mark.django_db(transaction=True)
def test_the_same_rows_synced_in_opposite_orders_at_once_are_stored_once(
    checkpoint, personas
) -> None:
    devices = []
    for _ in range(2):
        device = Client()
        device.force_login(personas.checkpoint_staff)
        devices.append(device)
    stored = 0
    for round_ in range(ROUNDS):
        rows = [row(checkpoint) for _ in range(ROWS)]
        batches = [rows, rows[::-1]]
        if connection.vendor == "postgresql":
            answers = _at_once(devices, batches)
        else:
            answers = [_post(device, batch) for device, batch in zip(devices, batches, strict=True)]

        assert [status for status, _ in answers] == [200, 200], (round_, answers)
        for _status, body in answers:
            assert body["rejected"] == []
            assert len(body["accepted"]) == ROWS
        # Every row is new to exactly one of the two answers; both name the same passage.
        firsts: dict[str, list[tuple[bool, int]]] = {}
        for _status, body in answers:
            for accepted in body["accepted"]:
                firsts.setdefault(accepted["client_id"], []).append(
                    (accepted["duplicate"], accepted["passage_id"])
                )
        assert len(firsts) == ROWS
        for client_id, seen in firsts.items():
            assert sorted(dup for dup, _pk in seen) == [False, True], client_id
            assert seen[0][1] == seen[1][1], client_id
        stored += ROWS
        assert Passage.objects.count() == stored
    assert Passage.objects.values("client_id").distinct().count() == stored
    counted = DailyFigure.objects.filter(checkpoint=checkpoint).aggregate(
        n=Sum(F("people_in") + F("people_out"))
    )["n"]
    assert counted == stored


@pytest.mark.django_db
def test_a_large_batch_holds_a_bounded_number_of_locks(checkpoint, personas):
    """PostgreSQL's lock table is shared by every connection and sized for 64 locks a
    transaction (max_locks_per_transaction) × max_connections: with a lock a row, a few gates
    syncing batches of thousands of rows at once filled it, and the next sync failed ("out of
    shared memory"). A batch now locks buckets of client ids, never more than LOCK_BUCKETS."""
    device = Client()
    device.force_login(personas.checkpoint_staff)

    status, body = _post(device, [row(checkpoint) for _ in range(ROWS)])

    assert status == 200 and len(body["accepted"]) == ROWS
    if connection.vendor == "postgresql":  # the test's transaction holds the sync's locks still
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND pid = pg_backend_pid() AND classid = %s",
                [passage_insert._LOCK_CLASS],
            )
            held = cursor.fetchone()[0]
        assert 0 < held <= passage_insert.LOCK_BUCKETS
