"""Benchmarks: seeding the demo district, and one scoped page of residents against a baseline.

    .venv/bin/python bench/run.py [--scale 10] [--database-url URL ...] [--pages 1000]

Each database is a throwaway: a SQLite file in a temporary directory (the default), or a
PostgreSQL database whose name contains "bench" (default ``dt_bench``), dropped and recreated.
Every measurement runs in a child process with ``DATABASE_URL`` pointing at that database, so
the parent never holds a connection. Nothing here asserts timings; it reports them.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/dt_bench"
PAGE = 50
WARM_UP_PAGES = 20
RESULT_MARK = "BENCH-RESULT "


# --- child processes: one measurement against one database ----------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _db_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0].split()[0]
        cursor.execute("SELECT sqlite_version()")
        return "SQLite " + cursor.fetchone()[0]


def child_seed(scale: float) -> dict[str, Any]:
    """Migrate, then seed at ``scale``; only the seeding is timed."""
    _django()
    from django.core.management import call_command

    from dualtrack.demo.seed import seed_district

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    result = seed_district(scale=scale, progress=lambda line: print(line, file=sys.stderr))
    return {
        "scale": scale,
        "seconds": result.seconds,
        "migrate_seconds": migrate_seconds,
        "counts": result.counts,
        "rows": result.rows,
        "db_version": _db_version(),
    }


def _percentiles(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    return {
        "p50": statistics.median(ms),
        "p95": ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))],
        "pages": len(ms),
    }


def child_pages(pages: int) -> dict[str, Any]:
    """Walk keyset pages of one town's residents as its officer, and of the whole table."""
    # The test client runs the full middleware stack; collected static files are not needed.
    warnings.filterwarnings("ignore", message="No directory at")
    _django()
    from django.db import connection
    from django.test import Client

    from dualtrack.areas.models import Resident
    from dualtrack.areas.scoping import scope_for
    from dualtrack.areas.selectors import resident_list_for
    from dualtrack.core.models import User

    officer = User.objects.get(username="town_changdong")
    commander = User.objects.get(username="commander")
    town = officer.role_grants.get().area

    def mask(rows: list[Resident]) -> int:
        # The masking every list page does: decrypt both fields and mask them.
        return sum(len(r.id_number_masked) + len(r.phone_masked) for r in rows)

    def scoped(after: int) -> int | None:
        # The scope is built on the first call and kept on the user, as within one request.
        rows = resident_list_for(user=officer, after_id=after, limit=PAGE)
        mask(rows)
        return rows[-1].pk if len(rows) == PAGE else None

    def baseline(after: int) -> int | None:
        qs = Resident.objects.filter(pk__gt=after).select_related("household", "area")
        rows = list(qs.order_by("pk")[:PAGE])
        mask(rows)
        return rows[-1].pk if len(rows) == PAGE else None

    def via_api(client: Client) -> Any:
        def fetch(after: int) -> int | None:
            response = client.get("/api/areas/residents", {"limit": PAGE, "after": after})
            if response.status_code != 200:
                raise RuntimeError(f"GET /api/areas/residents: {response.status_code}")
            return response.json()["next_after"]

        return fetch

    walks: dict[str, Any] = {"baseline": baseline, "selector": scoped}
    api_present = _api_route_present()
    if api_present:
        officer_client, commander_client = Client(), Client()
        officer_client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
        commander_client.force_login(commander, backend="django.contrib.auth.backends.ModelBackend")
        walks["api_scoped"] = via_api(officer_client)
        walks["api_district"] = via_api(commander_client)

    # Warm every path, then walk all of them in step, page by page, so that noise from other
    # processes on the machine falls on all of them alike.
    for walk in walks.values():
        after: int | None = 0
        for _ in range(WARM_UP_PAGES):
            after = walk(after or 0)
    cursors: dict[str, int | None] = dict.fromkeys(walks, 0)
    samples: dict[str, list[float]] = {name: [] for name in walks}
    for _ in range(pages):
        for name, walk in walks.items():
            if cursors[name] is None:
                continue
            started = time.perf_counter()
            cursors[name] = walk(cursors[name])
            samples[name].append(time.perf_counter() - started)
        if all(c is None for c in cursors.values()):
            break
    town_residents = Resident.objects.filter(area__code__startswith=town.code).count()
    middle = sorted(
        Resident.objects.filter(area__code__startswith=town.code).values_list("pk", flat=True)
    )[town_residents // 2]
    plan_qs = (
        scope_for(officer)
        .filter_by_area(Resident.objects.all())
        .filter(pk__gt=middle)
        .select_related("household", "area")
        .order_by("pk")[:PAGE]
    )
    options = {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
    return {
        "town": town.name,
        "town_residents": town_residents,
        "residents": Resident.objects.count(),
        "api_present": api_present,
        "latency_ms": {name: _percentiles(s) for name, s in samples.items()},
        "plan_after_id": middle,
        "plan": plan_qs.explain(**options),
        "db_version": _db_version(),
    }


def _api_route_present() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/areas/residents")
    except Resolver404:
        return False
    return True


# --- the parent: fresh databases, children, the report ----------------------------------------


def _run_child(kind: str, url: str, argument: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    command = [sys.executable, __file__, "--child", kind, "--child-arg", argument]
    completed = subprocess.run(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
    )
    line = next(x for x in completed.stdout.splitlines() if x.startswith(RESULT_MARK))
    return json.loads(line[len(RESULT_MARK) :])


def _fresh_database(url: str) -> None:
    """Drop and recreate a throwaway database."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to drop {name!r}: a benchmark database's name contains 'bench'."
        )
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load": load,
    }


def _label(url: str) -> str:
    return "SQLite" if url.startswith("sqlite") else "PostgreSQL"


def _report(machine: dict[str, str], results: list[dict[str, Any]], pages: int) -> str:
    lines = [
        f"Date: {datetime.datetime.now().astimezone().date().isoformat()}",
        f"Machine: {machine['nproc']} cores, {machine['cpu']}, Python {machine['python']}, "
        f"{machine['platform']}; load average at start {machine['load']}",
        "",
        "| database | scale | seeding (s) | rows | rows/s | residents | residents/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for seed in result["seeds"]:
            residents = seed["counts"]["residents"]
            lines.append(
                f"| {seed['db_version']} | {seed['scale']:g} | {seed['seconds']:.1f} | "
                f"{seed['rows']:,} | {seed['rows'] / seed['seconds']:,.0f} | {residents:,} | "
                f"{residents / seed['seconds']:,.0f} |"
            )
    lines += [
        "",
        f"Pages of {PAGE} residents, walked by keyset (up to {pages} pages per path):",
        "",
        "| database | path | p50 (ms) | p95 (ms) | pages | compared with | p50 ratio | p95 ratio |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    names = {
        "baseline": "baseline: unscoped keyset page, same joins and masking",
        "selector": "selector: resident_list_for, town officer",
        "api_scoped": "api_scoped: GET /api/areas/residents, town officer",
        "api_district": "api_district: the same GET, commander (district-wide)",
    }
    for result in results:
        pages_result = result["pages"]
        latency = pages_result["latency_ms"]
        for key, label in names.items():
            if key not in latency:
                continue
            against = "api_district" if key == "api_scoped" else "baseline"
            reference, row = latency[against], latency[key]
            lines.append(
                f"| {pages_result['db_version']} | {label} | {row['p50']:.2f} | "
                f"{row['p95']:.2f} | {row['pages']} | {against} | "
                f"{row['p50'] / reference['p50']:.2f}× | {row['p95'] / reference['p95']:.2f}× |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=10.0, help="scale of the page benchmark")
    parser.add_argument(
        "--database-url",
        action="append",
        help="throwaway database(s); default: SQLite in a temporary directory, and "
        f"{DEFAULT_POSTGRES}",
    )
    parser.add_argument("--pages", type=int, default=1000, help="pages walked per path")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="skip seeding: walk pages in databases a previous run seeded (give their URLs)",
    )
    parser.add_argument("--child", choices=["seed", "pages"], help=argparse.SUPPRESS)
    parser.add_argument("--child-arg", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        if args.child == "seed":
            outcome = child_seed(float(args.child_arg))
        else:
            outcome = child_pages(int(args.child_arg))
        print(RESULT_MARK + json.dumps(outcome, ensure_ascii=False))
        return

    if args.pages_only and not args.database_url:
        parser.error("--pages-only needs the --database-url of a seeded database")
    workdir = Path(tempfile.mkdtemp(prefix="dualtrack-bench-"))
    urls = args.database_url or [f"sqlite:///{workdir / 'bench.sqlite3'}", DEFAULT_POSTGRES]
    machine = _machine()
    print(f"Machine: {json.dumps(machine, ensure_ascii=False)}", flush=True)
    # Seeding is timed at scale 1 and at --scale; the pages are walked at --scale, seeded last.
    scales = [1.0] if args.scale == 1 else [1.0, args.scale]
    results = []
    try:
        for url in urls:
            result: dict[str, Any] = {"url": url, "seeds": []}
            for scale in [] if args.pages_only else scales:
                print(f"== {_label(url)}: seeding at scale {scale:g}", flush=True)
                _fresh_database(url)
                seed = _run_child("seed", url, str(scale))
                print(
                    f"   {seed['seconds']:.1f} s, {seed['rows']:,} rows "
                    f"({seed['rows'] / seed['seconds']:,.0f} rows/s)",
                    flush=True,
                )
                result["seeds"].append(seed)
            print(f"== {_label(url)}: pages", flush=True)
            result["pages"] = _run_child("pages", url, str(args.pages))
            print(f"   query plan of the scoped page:\n{result['pages']['plan']}", flush=True)
            if not result["pages"]["api_present"]:
                print("   /api/areas/residents is not mounted: selector only.", flush=True)
            results.append(result)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(_report(machine, results, args.pages))
    if args.json:
        args.json.write_text(
            json.dumps({"machine": machine, "results": results}, ensure_ascii=False, indent=2)
        )


if __name__ == "__main__":
    main()
