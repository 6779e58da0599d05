"""Benchmark: the register's hot queries as the district grows (docs/scaling.md).

    .venv/bin/python bench/scaling.py [--database-url URL] [--citus-url URL] [--days-10 2]
                                      [--hours-100 6] [--runs 60] [--reuse]

On one PostgreSQL server with the project's monthly partitions (its migrations), the demo
district seeded at scale 0.02 for its users and areas, then gates added to 100× the district's
(25,300) and four data sets COPYed, each into a month of its own (bench/scaling_data.py):
1× for a day (the baseline), 10× for a day, 10× for --days-10 days, 100× for --hours-100 hours.
For each data set, --runs times each: a gate's register page (``passage_list_for``, the day,
50 rows), its pending temperatures (``pending_self_registrations``, with the selector's clock
set to the data set's end), a sync batch of 10 rows (``passage_insert.insert_passages`` in its
transaction), the contact search (``person_passages_for`` over 14 days, then
``passages_near_for`` ±15 min) and the district's figures of the day (``figures_for``) — the
selectors themselves, as the district's administrator. Ratios are against the same query on the
1× partition in the same run. Then empty monthly partitions are added (24, then 48 in all) and
the 10× day measured again: what the number of partitions costs.

With --citus-url (a coordinator with its workers added, Citus installed by the operator; the
benchmark never installs it): the checkpoints, register, alerts and daily figures are created
there distributed by checkpoint as docs/scaling.md says (areas a reference table), the 1× and
10× days COPYed through the coordinator, and the statements the selectors sent above are run on
both servers; per node, the time of each task (EXPLAIN ANALYZE, every task) says which queries
stay on one node and what the fan-out ones cost each node (bench/scaling_citus.py).

The database is dropped and recreated (its name must contain "bench"); --reuse keeps it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import scaling_data  # noqa: E402
from checkpoints_setup import _django, _ms, say  # noqa: E402
from health_contacts import _recreate  # noqa: E402
from scaling_data import DataSet, ciphertexts, copy_dataset, datasets, digest, person_of  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dt_bench_scaling"
SEED_SCALE = 0.02
REGISTER_TABLES = ("checkpoints_passage", "checkpoints_alert", "checkpoints_dailyfigure")
TOLERANCE = datetime.timedelta(minutes=15)
PARTITION_STEPS = (60, 120)  # the migrations leave about 30 (24 months back, 3 ahead)


def _pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


# --- Setup ---------------------------------------------------------------------------------------


def setup(url: str, sets: list[DataSet]) -> dict[str, Any]:
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    from dualtrack.checkpoints.models import Passage
    from dualtrack.core.partitions import ensure_month, partitioned_tables
    from dualtrack.demo.seed import seed_district

    call_command("migrate", verbosity=0)
    seed_district(scale=SEED_SCALE, progress=lambda message: None)
    gates = max(d.gates for d in sets)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(quote_ident(column_name), ', ') FROM information_schema.columns "
            "WHERE table_name = 'checkpoints_checkpoint' "
            "AND column_name NOT IN ('id', 'name', 'qr_token')"
        )
        (cols,) = cursor.fetchone()
        cursor.execute("SELECT count(*), min(id) FROM checkpoints_checkpoint")
        seeded, first = cursor.fetchone()
        cursor.execute(
            f"INSERT INTO checkpoints_checkpoint ({cols}, name, qr_token) "
            f"SELECT {cols}, name || ' ' || g, md5(random()::text || g) "
            "FROM checkpoints_checkpoint, generate_series(1, %s) AS g WHERE id = %s",
            [gates - seeded, first],
        )
        (item,) = partitioned_tables(cursor, ["checkpoints_passage"])
        for data in sets:
            ensure_month(cursor, item, data.month)
        indexes = [
            (index.name, str(index.create_sql(Passage, connection.schema_editor())))
            for index in Passage._meta.indexes
        ]
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {name}")
        # The client id's unique constraint too (random ids: the costliest index to keep up).
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'checkpoints_passage'::regclass AND contype = 'u'"
        )
        uniques = cursor.fetchall()
        for name, _definition in uniques:
            cursor.execute(f"ALTER TABLE checkpoints_passage DROP CONSTRAINT {name}")
        indexes += [
            (name, f"ALTER TABLE checkpoints_passage ADD CONSTRAINT {name} {definition}")
            for name, definition in uniques
        ]
        cursor.execute("SELECT max(id) FROM checkpoints_passage")
        (last,) = cursor.fetchone()
    connection.close()
    sealed = ciphertexts(2000)
    gate_ids = _gate_ids()
    loads = {}
    first_id = last + 1
    with psycopg.connect(_pg(url)) as conn:
        # A bulk load: no foreign-key triggers (the rows reference gates that exist), the
        # secondary indexes built once afterwards, as bench/checkpoints_setup.py does.
        conn.execute("SET session_replication_role = replica")
        for data in sets:
            loads[data.label] = copy_dataset(conn, data, first_id, gate_ids, sealed)
            first_id += data.rows
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('checkpoints_passage', 'id'), %s)", [first_id]
        )
        conn.commit()
        started = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '512MB'")
        for _name, sql in indexes:
            conn.execute(sql)
        conn.execute("ANALYZE")
        conn.commit()
        index_seconds = time.perf_counter() - started
    say(f"indexes built and analysed in {index_seconds:.0f} s")
    return {"loads": loads, "index_seconds": index_seconds, "gates": gates}


def _gate_ids() -> list[int]:
    from dualtrack.checkpoints.models import Checkpoint

    return list(Checkpoint.objects.order_by("id").values_list("id", flat=True))


def partition_sizes(sets: list[DataSet]) -> dict[str, dict[str, float]]:
    """Rows, table and index sizes of each data set's partition."""
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for data in sets:
            name = f"checkpoints_passage_p{data.month:%Y%m}"
            cursor.execute(
                f"SELECT (SELECT count(*) FROM {name}), pg_table_size(%s), pg_indexes_size(%s)",
                [name, name],
            )
            rows, table, indexes = cursor.fetchone()
            out[data.label] = {"rows": rows, "table_gb": table / 2**30, "index_gb": indexes / 2**30}
    return out


# --- The hot queries -----------------------------------------------------------------------------


@contextmanager
def _clock(moment: datetime.datetime) -> Any:
    """The register selectors' ``timezone.now()`` set to ``moment`` (the data sets are past)."""
    from django.utils import timezone

    from dualtrack.checkpoints.selectors import register

    class Clock:
        def __getattr__(self, name: str) -> Any:
            return getattr(timezone, name)

        @staticmethod
        def now() -> datetime.datetime:
            return moment

    register.timezone = Clock()  # type: ignore[assignment]
    try:
        yield
    finally:
        register.timezone = timezone


def hot_queries(data: DataSet, gate_ids: list[int]) -> dict[str, Any]:
    """The five hot queries of a data set, as callables of no argument."""
    from django.db import transaction

    from dualtrack.checkpoints.figures import figures_for
    from dualtrack.checkpoints.models import Checkpoint
    from dualtrack.checkpoints.selectors.contacts import passages_near_for, person_passages_for
    from dualtrack.checkpoints.selectors.register import (
        day_bounds,
        local_day,
        passage_list_for,
        pending_self_registrations,
    )
    from dualtrack.checkpoints.services.passage_insert import insert_passages
    from dualtrack.core.models import User

    user = User.objects.get(username="admin")
    ((id_cipher, phone_cipher),) = ciphertexts(1)
    gate = Checkpoint.objects.get(pk=gate_ids[data.gates // 2])
    end = data.end()
    day = local_day(end - datetime.timedelta(minutes=1))
    since, until = day_bounds(day)
    person = person_of(data, data.rows - 7)
    who = digest(b"i", person)
    stranger = digest(b"i", data.people)  # the sync's rows: someone not in the data set

    def register_page() -> int:
        return len(passage_list_for(user=user, checkpoint=gate, since=since, until=until))

    def pending() -> int:
        with _clock(end):
            return len(pending_self_registrations(user=user, checkpoint=gate))

    def sync_10() -> int:
        rows = sorted(
            (
                (
                    gate.pk, None, uuid.uuid4(), end - datetime.timedelta(seconds=n),
                    end, "in", "36.6", None, None, "张三", id_cipher, stranger, phone_cipher,
                    digest(b"m", data.people), "360111", "", "上班", True, "staff", None, False,
                    False,
                )
                for n in range(1, 11)
            ),
            key=lambda values: values[2],
        )  # fmt: skip
        with transaction.atomic():
            return len(insert_passages(rows, count=len(rows)))

    def contacts() -> int:
        own = person_passages_for(
            user=user, since=end - datetime.timedelta(days=14), until=end, id_digest=who
        )
        return len(own) + len(passages_near_for(user=user, passages=own, tolerance=TOLERANCE))

    def district_figures() -> int:
        return figures_for(user=user, day=day).people_in

    return {
        "register page": register_page,
        "pending temperatures": pending,
        "sync batch of 10": sync_10,
        "contact search": contacts,
        "district figures": district_figures,
    }


def _statements(call: Any) -> list[str]:
    """The statements a call sends that read or write the register's tables."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured if any(t in q["sql"] for t in REGISTER_TABLES)]


def _partitions_read(statement: str) -> int:
    """How many of the register's partitions the plan of a statement reads."""
    from django.db import connection

    if not statement.lstrip().upper().startswith("SELECT"):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {statement}")
        (plan,) = cursor.fetchone()
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if node.get("Relation Name", "").startswith("checkpoints_passage_"):
            found.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return len(found)


def measure(data: DataSet, gate_ids: list[int], runs: int) -> dict[str, Any]:
    from django.db import connection

    out: dict[str, Any] = {}
    for name, call in hot_queries(data, gate_ids).items():
        call()  # warm: the first read of a partition's pages
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        statements = _statements(call)
        out[name] = {
            **_ms(samples),
            "statements": statements,
            "partitions": max((_partitions_read(s) for s in statements), default=0),
        }
        connection.close()
    say(
        f"{data.label}: "
        + ", ".join(f"{n} {v['p50']:.2f} ms ({v['partitions']} part.)" for n, v in out.items())
    )
    return out


def add_empty_partitions(total: int) -> int:
    """Monthly partitions back in time until the register has ``total``; how many it has."""
    from django.db import connection

    from dualtrack.core.partitions import (
        add_months,
        ensure_month,
        partitioned_tables,
        partitions_of,
    )

    with connection.cursor() as cursor:
        (item,) = partitioned_tables(cursor, ["checkpoints_passage"])
        month = datetime.date(2026, 6, 1)
        while len(partitions_of(cursor, item.table)) < total:
            ensure_month(cursor, item, month)
            month = add_months(month, -1)
        return len(partitions_of(cursor, item.table))


def _machine() -> dict[str, str]:
    import subprocess

    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": str(os.cpu_count()),
        # Django sets TZ to TIME_ZONE for this process: the machine's clock in UTC.
        "uptime": subprocess.run(
            ["uptime"], capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}
        ).stdout.strip(),
    }


def _ratios(results: dict[str, Any], base: str) -> None:
    for label, queries in results.items():
        line = [f"{label:>16}"]
        for name, figures in queries.items():
            ratio = figures["p50"] / results[base][name]["p50"]
            line.append(f"{name}: {figures['p50']:.2f}/{figures['p95']:.2f} ms ({ratio:.2f}×)")
        print(" | ".join(line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--citus-url", default="")
    parser.add_argument("--days-10", type=int, default=2)
    parser.add_argument("--hours-100", type=int, default=2)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--people", type=int, default=300_000, help="the district's (1×)")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--citus-from", default="", help="a --json file of an earlier run: its Citus part only"
    )
    parser.add_argument("--json", default="", help="write the figures to this file too")
    args = parser.parse_args()
    scaling_data.PEOPLE_AT_1 = args.people
    sets = datasets(args.days_10, args.hours_100)
    if args.citus_from:  # the Citus part alone, on a run's saved figures (the same databases)
        _django(args.database_url)
        from scaling_citus import compare, summary

        saved = json.loads(Path(args.citus_from).read_text())
        saved["citus"] = compare(
            args.database_url, args.citus_url, sets[:2], saved["results"], args.runs
        )
        saved["machine_after_citus"] = _machine()
        Path(args.citus_from).write_text(json.dumps(saved, indent=1, default=str))
        summary(saved["citus"])
        return
    report: dict[str, Any] = {"machine_before": _machine()}
    if not args.reuse:
        _recreate(args.database_url)
    _django(args.database_url)
    if not args.reuse:
        report["setup"] = setup(args.database_url, sets)
    report["partitions"] = partition_sizes(sets)
    gate_ids = _gate_ids()
    results = {data.label: measure(data, gate_ids, args.runs) for data in sets}
    report["results"] = results
    by_count: dict[str, Any] = {}
    for total in PARTITION_STEPS:
        count = add_empty_partitions(total)
        by_count[str(count)] = measure(sets[1], gate_ids, args.runs)
    report["by_partition_count"] = by_count
    report["machine_after"] = _machine()
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, default=str))
    print(f"machine: {report['machine_before']} → {report['machine_after']['uptime']}")
    for label, sizes in report["partitions"].items():
        print(f"partition {label}: {sizes}")
    print("p50/p95 ms per query, ratio of p50 to the same query on the 1× partition:")
    _ratios(results, sets[0].label)
    print(f"the 10× day with more (empty) partitions, against {sets[1].label} above:")
    _ratios({sets[1].label: results[sets[1].label], **by_count}, sets[1].label)
    if args.citus_url:
        from scaling_citus import compare, summary

        report["citus"] = compare(args.database_url, args.citus_url, sets[:2], results, args.runs)
        report["machine_after_citus"] = _machine()
        print(f"Citus, p50 ms (machine: {report['machine_after_citus']['uptime']}):")
        summary(report["citus"])
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
