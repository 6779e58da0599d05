"""Benchmark of the daily briefing (issue 18): the 24:00 snapshot at scale 10, and the documents.

    .venv/bin/python bench/command.py [--database-url URL] [--scale 10] [--seed-scale 1]
                                      [--repeat 3] [--keep]

The district is seeded at --seed-scale (seeding scale 10 takes far longer than a run may) and the
passage register, the largest table by far, is then filled to the volume of --scale by copying the
seeded passages server-side, with the daily figures rebuilt from the rows (the checkpoints
benchmark's setup, as the wall screen's benchmark does); the other tables stay at the seed scale,
which the output says. Then:

1. Freezing the 24:00 snapshot of yesterday (every app's figures for the district and each town,
   through the platform registry): seconds (best of --repeat) and each app's share of it, against
   the board's figures recounted by GROUP BY over the raw tables for the same areas and day (the
   wall screen benchmark's baseline, ``dashboard/tests/recount.py``: the register, alerts, line
   list, orders, screening records, registry and daily reports, applications, ledger, subsidy
   claims and payments, duty assignments, directives), best of --repeat in the same run.
2. The briefing as .docx and as PDF from the frozen snapshot: seconds each (best of --repeat),
   against the 2 s target.

PostgreSQL only (the setup copies rows server-side); a database whose name lacks "bench" is
refused, since it is dropped and recreated — and dropped again at the end unless --keep.
Nothing asserts timings; the script reports them.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from checkpoints_setup import _django, say, setup  # noqa: E402
from dashboard import _baseline  # noqa: E402
from run import _fresh_database, _machine  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dt_bench_command"


def _best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs, with what that run returned."""
    best: tuple[float, Any] = (float("inf"), None)
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
        if seconds < best[0]:
            best = (seconds, result)
    return best


def _drop(url: str) -> None:
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        name = sql.Identifier(parts.path.lstrip("/"))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def bench(repeat: int) -> dict[str, Any]:
    from django.utils import timezone

    from dualtrack.areas.models import Area, AreaKind
    from dualtrack.command.documents import briefing_docx, briefing_pdf
    from dualtrack.command.models import Briefing
    from dualtrack.command.services.snapshots import snapshot_freeze
    from dualtrack.dashboard.tests import recount

    day = timezone.localdate() - datetime.timedelta(days=1)
    areas = [Area.objects.get(kind=AreaKind.DISTRICT)]
    areas += list(Area.objects.filter(kind=AreaKind.TOWN).order_by("code"))

    def recount_all() -> None:
        for area in areas:
            _baseline(area, day)
            recount.directives_overdue(area)

    recount_all()  # warm: the first call compiles, connects, fills the caches
    baseline, _ = _best(repeat, recount_all)
    frozen, snapshot = _best(repeat, lambda: snapshot_freeze(actor=None, day=day))
    say(f"freeze {frozen:.2f} s, GROUP BY {baseline:.2f} s")
    briefing = Briefing.objects.filter(snapshot=snapshot).order_by("-number").first()
    if briefing is None:
        sys.exit("The demo left no briefing of yesterday.")
    docx_s, docx = _best(repeat, lambda: briefing_docx(briefing))
    pdf_s, pdf = _best(repeat, lambda: briefing_pdf(briefing))
    return {
        "day": day,
        "towns": len(areas) - 1,
        "freeze": frozen,
        "baseline": baseline,
        "timings": dict(snapshot.timings),
        "briefing": briefing.number,
        "docx": (docx_s, len(docx)),
        "pdf": (pdf_s, len(pdf)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--seed-scale", type=float, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("The snapshot's benchmark runs on PostgreSQL (its setup copies rows).")
    machine = _machine()
    _fresh_database(args.database_url)
    _django(args.database_url)
    try:
        prepared = setup(args.database_url, args.scale, args.seed_scale)
        result = bench(args.repeat)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            (version,) = cursor.fetchone()
    finally:
        if not args.keep:
            _drop(args.database_url)
    end_load = _machine()["load"]
    print(
        f"\n24:00 snapshot — {machine['nproc']} cores {machine['cpu']}, load at start "
        f"{machine['load']}, at the end {end_load}; {version.split(' on ')[0]}; district seeded "
        f"at scale {prepared['seed_scale']:g} in {prepared['seed_seconds']:.0f} s, register "
        f"filled to {prepared['passages']:,} passages (scale {args.scale:g}); best of "
        f"{args.repeat}\n"
    )
    freeze, baseline = result["freeze"], result["baseline"]
    print("| | seconds | ratio |")
    print("|---|---:|---|")
    print(
        f"| freeze {result['day']} (district + {result['towns']} towns) | {freeze:.2f} | "
        f"{freeze / baseline:.2f} × the GROUP BY recount of the same areas |"
    )
    towns = result["towns"]
    print(f"| GROUP BY over the raw tables, district + {towns} towns | {baseline:.2f} | 1 |")
    for label, (seconds, size) in (("docx", result["docx"]), ("PDF", result["pdf"])):
        print(
            f"| briefing No. {result['briefing']} as {label} ({size // 1024} KiB) | "
            f"{seconds:.3f} | {seconds / 2.0:.2f} of the 2 s target |"
        )
    timings = result["timings"]
    total = sum(timings.values()) or 1.0
    print("\n| app | seconds in the freeze | share |")
    print("|---|---:|---:|")
    for label, seconds in sorted(timings.items(), key=lambda kv: -kv[1]):
        print(f"| {label} | {seconds:.3f} | {100 * seconds / total:.1f} % |")


if __name__ == "__main__":
    main()
