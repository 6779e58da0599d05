"""Benchmark of the contact search (密接排查, issue 13) on PostgreSQL.

    .venv/bin/python bench/health_contacts.py [--database-url URL] [--passages 2000000] [--runs 40]

For one case of the demo's cluster (an imported case with passages at two gates of 艾溪村 in
its exposure window), with the register filled to --passages rows:

1. the register part of the search — the case's passages (``person_passages_for``) and every
   passage at the same gate within ±15 minutes of each (``passages_near_for``: one index range
   scan per case passage on ``passage_cp_time_idx``, UNION ALL in one statement);
2. the whole service (``contact_search``: the above, grouping and ranking, the search's record,
   the upsert of the contacts, the audit entry), committed each time;
3. the baseline, in the same run: the naive self-join of the register — the case's passages
   joined to every passage of the same checkpoint with |Δt| ≤ 15 min written as it reads
   (``abs(extract(epoch from p2.occurred_at - p1.occurred_at)) <= 900``);
4. for reference, the same self-join written with range bounds (``p2.occurred_at BETWEEN
   p1.occurred_at - 15 min AND p1.occurred_at + 15 min``), which the planner can run as the
   same per-passage index range scans.

The register is filled server-side (INSERT … SELECT over generate_series, foreign-key triggers
off and the secondary indexes built once afterwards): the demo district is seeded at
--seed-scale (its passages, its gates and the cluster), then --passages − seeded rows are
spread uniformly over the demo's 14 days and its gates, each row someone of a million people
(an ID number digest, no ciphertext: the search reads digests). The case's results are checked
to be the same passages as the self-join's. The database is dropped and recreated: its name
must contain "bench".
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dt_bench_cases"
PEOPLE = 1_000_000
TOLERANCE = 15  # minutes: the setting's default


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _recreate(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to use {name!r}: a benchmark database's name contains 'bench'.")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


def _ms(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, round(p / 100 * (len(ms) - 1)))]

    return {"p50": pct(50), "p95": pct(95), "max": ms[-1], "mean": statistics.fmean(ms)}


# --- Setup ---------------------------------------------------------------------------------------


def setup(target: int, seed_scale: float) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from dualtrack.checkpoints.models import Passage
    from dualtrack.demo.seed import seed_district

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed_district(scale=seed_scale, progress=say)
    seed_seconds = time.perf_counter() - started
    base = Passage.objects.count()
    extra = max(0, target - base)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        indexes = [
            (index.name, str(index.create_sql(Passage, connection.schema_editor())))
            for index in Passage._meta.indexes
        ]
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM checkpoints_checkpoint")
        (gates,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO checkpoints_passage (checkpoint_id, client_id, occurred_at, "
            "received_at, direction, temperature, name, id_number, id_digest, phone, "
            "phone_digest, origin_code, origin_name, purpose, notice_given, source, is_fever, "
            "from_risk_area) "
            "SELECT g.gates[1 + floor(random() * g.n)::int], gen_random_uuid(), t.at, t.at, "
            "CASE WHEN random() < 0.5 THEN 'in' ELSE 'out' END, 36.5, '某', '', "
            "encode(sha256(('p' || floor(random() * %s)::int)::text::bytea), 'hex'), '', '', "
            "'360111', '', '', true, 'staff', false, false "
            "FROM generate_series(1, %s) AS s(i) "
            "CROSS JOIN (SELECT %s::bigint[] AS gates, cardinality(%s::bigint[]) AS n) AS g "
            "CROSS JOIN LATERAL (SELECT now() - random() * interval '14 days' + s.i * "
            "interval '0 second' AS at) AS t",
            [PEOPLE, extra, gates, gates],
        )
        inserted = time.perf_counter() - started
        for _name, sql in indexes:
            cursor.execute(sql)
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE")
    total = Passage.objects.count()
    fill_seconds = time.perf_counter() - started
    say(f"register filled to {total:,} passages in {fill_seconds:.0f} s ({inserted:.0f} s insert)")
    return {
        "seed_scale": seed_scale,
        "seed_seconds": seed_seconds,
        "seeded_passages": base,
        "passages": total,
        "checkpoints": len(gates),
        "fill_seconds": fill_seconds,
    }


# --- The measures --------------------------------------------------------------------------------

NAIVE = """
SELECT DISTINCT p2.id FROM checkpoints_passage p1
JOIN checkpoints_passage p2 ON p2.checkpoint_id = p1.checkpoint_id
 AND abs(extract(epoch FROM p2.occurred_at - p1.occurred_at)) <= %s
WHERE p1.id_digest = %s AND p1.occurred_at >= %s AND p1.occurred_at <= %s AND p2.id <> p1.id
"""
RANGED = """
SELECT DISTINCT p2.id FROM checkpoints_passage p1
JOIN checkpoints_passage p2 ON p2.checkpoint_id = p1.checkpoint_id
 AND p2.occurred_at BETWEEN p1.occurred_at - %s AND p1.occurred_at + %s
WHERE p1.id_digest = %s AND p1.occurred_at >= %s AND p1.occurred_at <= %s AND p2.id <> p1.id
"""


def measure(runs: int, naive_runs: int) -> dict[str, Any]:
    import datetime

    from django.db import connection
    from django.utils import timezone

    from dualtrack.checkpoints.selectors.contacts import passages_near_for, person_passages_for
    from dualtrack.core.models import User
    from dualtrack.health.models import Case
    from dualtrack.health.services.contacts import contact_search, exposure_window

    actor = User.objects.get(username="wg_prevention")
    case = Case.objects.filter(origin="imported").order_by("report_date", "pk").first()
    assert case is not None, "the demo's cluster is missing"
    since, until = exposure_window(case, days_before=2, now=timezone.now())
    tolerance = datetime.timedelta(minutes=TOLERANCE)

    def register_part() -> set[int]:
        own = person_passages_for(
            user=actor,
            since=since,
            until=until,
            id_digest=case.id_digest,
            phone_digest=case.phone_digest,
            resident_id=case.resident_id,
        )
        return {
            hit.passage.id
            for hit in passages_near_for(user=actor, passages=own, tolerance=tolerance)
        }

    def timed(call: Any, n: int) -> tuple[list[float], Any]:
        call()  # warm: plans, caches
        samples, result = [], None
        for _ in range(n):
            started = time.perf_counter()
            result = call()
            samples.append(time.perf_counter() - started)
        return samples, result

    def sql(statement: str, params: list[Any]) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return {pk for (pk,) in cursor.fetchall()}

    ours, found = timed(register_part, runs)
    service, _ = timed(
        lambda: contact_search(actor=actor, case=case, reason="bench"), max(10, runs // 2)
    )
    naive, naive_found = timed(
        lambda: sql(NAIVE, [TOLERANCE * 60, case.id_digest, since, until]), naive_runs
    )
    ranged, ranged_found = timed(
        lambda: sql(RANGED, [tolerance, tolerance, case.id_digest, since, until]), runs
    )
    # The same passages: ours excludes the person's own (the case passed with themselves only).
    own_ids = {
        p.pk
        for p in person_passages_for(
            user=actor,
            since=since,
            until=until,
            id_digest=case.id_digest,
            phone_digest=case.phone_digest,
            resident_id=case.resident_id,
        )
    }
    assert found == naive_found - own_ids == ranged_found - own_ids, "results differ"
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + NAIVE, [TOLERANCE * 60, case.id_digest, since, until])
        naive_plan = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "case_passages": len(own_ids),
        "coincident_passages": len(found),
        "contacts": case.contacts.count(),
        "ours": _ms(ours),
        "service": _ms(service),
        "naive": _ms(naive),
        "ranged": _ms(ranged),
        "runs": runs,
        "naive_runs": naive_runs,
        "naive_plan": naive_plan,
    }


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    version = subprocess.run(
        ["psql", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}), {version or 'PostgreSQL'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--passages", type=int, default=2_000_000)
    parser.add_argument("--seed-scale", type=float, default=0.2)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--naive-runs", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="Keep the previous run's database.")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("This benchmark runs on PostgreSQL.")
    if args.reuse:
        _django(args.database_url)
        from dualtrack.checkpoints.models import Passage

        info: dict[str, Any] = {"passages": Passage.objects.count(), "reused": True}
    else:
        _recreate(args.database_url)
        _django(args.database_url)
        info = setup(args.passages, args.seed_scale)
    result = measure(args.runs, args.naive_runs)
    ours, naive = result["ours"]["p95"], result["naive"]["p95"]
    lines = [
        f"machine: {_machine()}",
        f"register: {info['passages']:,} passages"
        + (
            f" ({info['checkpoints']} gates; demo seeded at scale {info['seed_scale']:g} in "
            f"{info['seed_seconds']:.0f} s, filled in {info['fill_seconds']:.0f} s)"
            if "fill_seconds" in info
            else " (reused)"
        ),
        f"case: {result['case_passages']} passages in its exposure window, "
        f"{result['coincident_passages']} passages within ±{TOLERANCE} min, "
        f"{result['contacts']} contacts",
        f"register part (ours), {result['runs']} runs: p50 {result['ours']['p50']:.1f} ms, "
        f"p95 {ours:.1f} ms",
        f"whole service (search, rank, record, upsert, audit): p50 "
        f"{result['service']['p50']:.1f} ms, p95 {result['service']['p95']:.1f} ms",
        f"naive self-join, {result['naive_runs']} runs: p50 {result['naive']['p50']:.1f} ms, "
        f"p95 {naive:.1f} ms",
        f"self-join with range bounds: p50 {result['ranged']['p50']:.1f} ms, "
        f"p95 {result['ranged']['p95']:.1f} ms",
        f"ratio (naive p95 / ours p95): {naive / ours:.0f}×",
        "naive plan:",
        result["naive_plan"],
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
