"""The midnight drill of the partitioned register: passages timed across a month's boundary
(23:59:59.9 of the last day to 00:00:00.1 of the 1st, local time) written by concurrent
clients through the sync's storage path (``insert_passages``: COPY, or INSERT … ON CONFLICT on
a retry), against a throwaway PostgreSQL database. Each scenario counts the batches acknowledged
(committed), the errors, and the rows lost (acknowledged, not in the table afterwards):

1. ahead:       the next month's partition was created ahead (``partitions ensure``).
2. late:        it was not; the default partition takes the new month's rows, and
                ``partitions ensure`` runs during the load, moving them into the new partition.
3. no default:  neither the next month nor a default partition exists (what the default
                partition is for): the new month's rows are refused.

    .venv/bin/python bench/partition_drill.py [--seconds 8] [--clients 6]
        [--database postgres://postgres@127.0.0.1:5432/dualtrack_partition_drill]

The database is dropped and created again at the start and dropped at the end. Loopback only;
stops by itself.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _psql_admin(url: str, statement: str) -> None:
    parsed = urlparse(url)
    subprocess.run(
        ["psql", "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432),
         "-U", parsed.username or "postgres", "-d", "postgres", "-qc", statement],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


def _setup() -> int:
    from django.core.management import call_command

    from dualtrack.areas.models import Area, AreaKind
    from dualtrack.checkpoints.models import Checkpoint

    call_command("migrate", verbosity=0)
    district = Area.objects.create(kind=AreaKind.DISTRICT, code="36", name="drill district")
    town = Area.objects.create(kind=AreaKind.TOWN, code="3601", name="drill town", parent=district)
    return Checkpoint.objects.create(area=town, name="drill gate").pk


def _row(checkpoint_id: int, moment: datetime.datetime) -> tuple[Any, ...]:
    from dualtrack.checkpoints.services.passage_insert import COLUMNS

    values = {
        "checkpoint_id": checkpoint_id, "shift_id": None, "client_id": uuid.uuid4(),
        "occurred_at": moment, "received_at": moment, "direction": "in", "temperature": None,
        "temperature_confirmed_by_id": None, "resident_id": None, "name": "演练",
        "id_number": "", "id_digest": "", "phone": "", "phone_digest": "", "origin_code": "",
        "origin_name": "", "purpose": "", "notice_given": False, "source": "sync",
        "recorded_by_id": None, "is_fever": False, "from_risk_area": False,
    }  # fmt: skip
    return tuple(values[c] for c in COLUMNS)


class Client(threading.Thread):
    def __init__(self, checkpoint_id: int, boundary: datetime.datetime, until: float) -> None:
        super().__init__(daemon=True)
        self.checkpoint_id, self.boundary, self.until = checkpoint_id, boundary, until
        self.acked: list[uuid.UUID] = []
        self.errors: dict[str, int] = {}
        self.batches = 0
        self.seconds: list[float] = []
        self.rng = random.Random()

    def run(self) -> None:
        from django.db import connection, transaction

        from dualtrack.checkpoints.services.passage_insert import insert_passages

        try:
            while time.monotonic() < self.until:
                rows = [
                    _row(
                        self.checkpoint_id,
                        self.boundary
                        + datetime.timedelta(milliseconds=self.rng.uniform(-100, 100)),
                    )
                    for _ in range(self.rng.randint(1, 5))
                ]
                # Now and then a batch sent twice (a retried sync): the second finds the first.
                repeat = self.rng.random() < 0.1
                for _attempt in range(2 if repeat else 1):
                    began = time.monotonic()
                    try:
                        with transaction.atomic():
                            insert_passages(iter(rows), count=len(rows))
                        self.batches += 1
                        self.seconds.append(time.monotonic() - began)
                        self.acked.extend(r[2] for r in rows)
                    except Exception as error:  # counted, as a client would meet it
                        key = type(error).__name__ + ": " + str(error).splitlines()[0][:80]
                        self.errors[key] = self.errors.get(key, 0) + 1
        finally:
            connection.close()


def _p99_max(seconds: list[float]) -> tuple[float, float] | None:
    if not seconds:
        return None
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return round(p99 * 1000, 1), round(ordered[-1] * 1000, 1)


def _scenario(name: str, checkpoint_id: int, args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from dualtrack.checkpoints.models import Passage
    from dualtrack.core.partitions import (
        add_months,
        ensure_partitions,
        month_begins,
        month_start,
        partition_name,
    )

    table = Passage._meta.db_table
    this_month = month_start(timezone.localdate())
    next_month = add_months(this_month, 1)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")
        cursor.execute(f"DROP TABLE IF EXISTS {partition_name(table, next_month)}")
        if name == "no default":
            cursor.execute(f"DROP TABLE IF EXISTS {table}_default")
    if name == "ahead":
        ensure_partitions(months_ahead=1, tables=[table])
    boundary = month_begins(next_month)
    until = time.monotonic() + args.seconds
    clients = [Client(checkpoint_id, boundary, until) for _ in range(args.clients)]
    started = time.monotonic()
    for client in clients:
        client.start()
    ensured: list[str] = []
    ensure_ms = None
    if name == "late":
        time.sleep(args.seconds / 2)
        began = time.monotonic()
        ensured = ensure_partitions(months_ahead=1, tables=[table])
        ensure_ms = round((time.monotonic() - began) * 1000, 1)
    for client in clients:
        client.join()
    elapsed = time.monotonic() - started
    acked = [cid for client in clients for cid in client.acked]
    errors: dict[str, int] = {}
    for client in clients:
        for key, count in client.errors.items():
            errors[key] = errors.get(key, 0) + count
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(DISTINCT client_id) FROM {table} WHERE client_id = ANY(%s)",
            [list(set(acked))],
        )
        (stored,) = cursor.fetchone()
        cursor.execute(
            f"SELECT tableoid::regclass::text, count(*) FROM {table} GROUP BY 1 ORDER BY 1"
        )
        where = dict(cursor.fetchall())
        cursor.execute(f"SELECT count(*) - count(DISTINCT client_id) FROM {table}")
        (duplicates,) = cursor.fetchone()
    return {
        "scenario": name,
        "batches_acked": sum(c.batches for c in clients),
        "rows_acked": len(set(acked)),
        "rows_lost": len(set(acked)) - stored,
        "duplicate_rows": duplicates,
        "errors": errors,
        "rows_by_partition": where,
        "created_during_load": ensured,
        "ensure_ms": ensure_ms,
        "batch_ms_p99_max": _p99_max([s for c in clients for s in c.seconds]),
        "batches_per_s": round(sum(c.batches for c in clients) / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/dualtrack_partition_drill"
    )
    args = parser.parse_args()
    name = urlparse(args.database).path.lstrip("/")
    _psql_admin(args.database, f'DROP DATABASE IF EXISTS "{name}"')
    _psql_admin(args.database, f'CREATE DATABASE "{name}"')
    try:
        _django(args.database)
        from django.db import connections

        checkpoint_id = _setup()
        for scenario in ("ahead", "late", "no default"):
            result = _scenario(scenario, checkpoint_id, args)
            print(result, flush=True)
        connections.close_all()
    finally:
        _psql_admin(args.database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
