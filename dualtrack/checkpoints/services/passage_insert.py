"""The bulk insert of the offline sync: a batch of passages in one statement (PostgreSQL: COPY
into a temporary table, then one INSERT of the rows not stored yet), their ids by client id.
Moved out of ``sync`` as it was; its logic is tuned for throughput (see docs/benchmarks.md)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connection, transaction

from dualtrack.checkpoints.models import (
    Passage,
)

COLUMNS = (
    "checkpoint_id",
    "shift_id",
    "client_id",
    "occurred_at",
    "received_at",
    "direction",
    "temperature",
    "temperature_confirmed_by_id",
    "resident_id",
    "name",
    "id_number",
    "id_digest",
    "phone",
    "phone_digest",
    "origin_code",
    "origin_name",
    "purpose",
    "notice_given",
    "source",
    "recorded_by_id",
    "is_fever",
    "from_risk_area",
)
_CLIENT_ID = COLUMNS.index("client_id")
_TABLE = Passage._meta.db_table
_TEMP = "checkpoints_passage_incoming"
# On PostgreSQL the register is partitioned by month on its time, and a unique constraint there
# must include the time: a retry sends the client id with the same time, so it still conflicts.
# That a client id is used once at all, whatever the time, is kept here: each batch locks its
# client ids' buckets (transaction-level advisory locks, in bucket order), and a row whose id is
# stored already with another time is skipped like a retry (the caller finds the stored row).
# A bucket, not an id, per lock: the server's lock table is shared by every connection and
# sized for max_locks_per_transaction (64) × max_connections, and a lock per id of batches of
# up to 5,000 rows filled it when a few gates synced at once ("out of shared memory" for the
# rest). The same id always falls in the same bucket; a large batch takes every bucket, so
# two of them check and commit in turn, after their COPYs ran side by side.
_PG_CONFLICT = "(client_id, occurred_at)"
_LOCK_CLASS = 7061  # the advisory locks' first key: the passages' client ids
LOCK_BUCKETS = 64
_LOCK_SQL = (
    "SELECT count(pg_advisory_xact_lock(%s, b)) FROM (SELECT DISTINCT "
    "hashtext(c::text) & %s AS b FROM unnest(%s::uuid[]) AS c ORDER BY b) AS ids"
)
_LOCK_KEYS = (_LOCK_CLASS, LOCK_BUCKETS - 1)
_STORED_SQL = f"SELECT count(*) FROM {_TABLE} WHERE client_id = ANY(%s::uuid[])"  # noqa: S608


def _uuid_array(client_ids: list[uuid.UUID]) -> str:
    """The client ids as one array literal, made once for the batch's statements: psycopg's
    array dumper takes about three times as long for 5,000 UUIDs, and did it for each."""
    return "{" + ",".join(map(str, client_ids)) + "}"


class _StoredWithAnotherTime(Exception):
    """A client id of the batch is stored already with another time: undo the COPY."""


SQLITE_CHUNK = 1000  # rows per statement: 1,000 × 22 columns stays under SQLite's 32,766


def _sqlite_values(values: tuple[Any, ...]) -> list[Any]:
    out = list(values)
    out[2] = values[2].hex
    for i in (3, 4):
        out[i] = values[i].astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if values[6] is not None:
        out[6] = str(values[6])
    return out


def insert_passages(rows: Iterable[tuple[Any, ...]], *, count: int) -> dict[uuid.UUID, int]:
    """Insert ``count`` rows of COLUMNS whose client id is not stored yet; client id → new id
    for those inserted. Values are already what the columns hold (ciphertexts, digests), and
    come in client-id order (see _write: the order is what keeps two batches from deadlocking).

    PostgreSQL: COPY straight into the register, taking each row as it is made; should a
    client id be stored already (a retried batch, a concurrent one), COPY into a temporary table
    instead, then one INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING. SQLite: multi-row
    INSERT … ON CONFLICT DO NOTHING RETURNING, in chunks.
    """
    if not count:
        return {}
    names = ", ".join(COLUMNS)
    inserted: dict[uuid.UUID, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            direct, made = _copy_new(cursor, rows, count)
            if direct is not None:
                return direct
            cursor.execute(
                # Table and column names come from code, never from input.
                f"CREATE TEMP TABLE IF NOT EXISTS {_TEMP} ON COMMIT DELETE ROWS AS "  # noqa: S608
                f"SELECT {names} FROM {_TABLE} WITH NO DATA"
            )
            cursor.execute(f"TRUNCATE {_TEMP}")
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {_TEMP} ({names}) FROM STDIN") as copy:
                for values in made:
                    copy.write_row(values)
            cursor.execute(
                _LOCK_SQL, [*_LOCK_KEYS, _uuid_array([values[_CLIENT_ID] for values in made])]
            )
            cursor.execute(
                f"INSERT INTO {_TABLE} ({names}) SELECT {names} FROM {_TEMP} AS t "  # noqa: S608
                f"WHERE NOT EXISTS (SELECT 1 FROM {_TABLE} AS p WHERE p.client_id = t.client_id) "
                f"ORDER BY client_id ON CONFLICT {_PG_CONFLICT} DO NOTHING RETURNING id, client_id"
            )
            for pk, client_id in cursor.fetchall():
                inserted[client_id] = pk
        else:
            marks = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
            made = list(rows)
            for start in range(0, len(made), SQLITE_CHUNK):
                chunk = made[start : start + SQLITE_CHUNK]
                params = [v for values in chunk for v in _sqlite_values(values)]
                cursor.execute(
                    f"INSERT INTO {_TABLE} ({names}) "  # noqa: S608
                    f"VALUES {', '.join([marks] * len(chunk))} "
                    "ON CONFLICT (client_id) DO NOTHING RETURNING id, client_id",
                    params,
                )
                for pk, client_id in cursor.fetchall():
                    inserted[uuid.UUID(str(client_id))] = pk
    return inserted


def _copy_new(
    cursor: Any, rows: Iterable[tuple[Any, ...]], count: int
) -> tuple[dict[uuid.UUID, int] | None, list[tuple[Any, ...]]]:
    """COPY the rows straight into the register, with ids drawn from its sequence beforehand;
    the new ids (None when a client id is stored already: nothing is written then, and the
    caller takes the path that skips stored client ids), and every row, made."""
    cursor.execute(
        # The sequence looked up once, not once a row (a quarter of the time of this statement).
        "WITH seq AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS id) "
        "SELECT nextval(seq.id) FROM seq, generate_series(1, %s)",
        [_TABLE, count],
    )
    ids = [pk for (pk,) in cursor.fetchall()]
    statement = f"COPY {_TABLE} (id, {', '.join(COLUMNS)}) FROM STDIN"
    made: list[tuple[Any, ...]] = []
    rest = iter(rows)
    # The foreign keys (checkpoint, shift, resident, users) checked as the COPY ends, not at the
    # commit: a concurrent batch waits for this one's bucket locks until it commits, and the
    # checks of 5,000 rows (about 80 ms) were a third of that wait.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        # In a savepoint, so that a taken client id undoes the COPY and nothing else.
        with transaction.atomic():
            with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
                for pk, values in zip(ids, rest, strict=True):
                    made.append(values)
                    copy.write_row((pk, *values))
            client_ids = _uuid_array([values[_CLIENT_ID] for values in made])
            cursor.execute(_LOCK_SQL, [*_LOCK_KEYS, client_ids])
            cursor.execute(_STORED_SQL, [client_ids])
            if cursor.fetchone()[0] > len(made):
                raise _StoredWithAnotherTime
    except (IntegrityError, _StoredWithAnotherTime):
        made.extend(rest)  # should the server have stopped the COPY before the last row
        return None, made
    finally:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default again
    return {values[_CLIENT_ID]: pk for pk, values in zip(ids, made, strict=True)}, made
