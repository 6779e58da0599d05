"""The wall screen's refresh (issue 18), against a baseline measured in the same run.

    .venv/bin/python bench/dashboard.py [--database-url URL] [--scale 10] [--seed-scale 1]
                                        [--repeat 200]

The refresh is what the page asks for every few seconds: GET /api/dashboard/boards/<id>, every
panel's data in one answer, through the whole Django stack in-process (middleware, session,
scope, every app's panel, the JSON) for the district's commander, and for a town's board. The
baseline computes the same figures by GROUP BY over the raw tables (the passage register, the
alerts, the case line list, the quarantine orders, the screening records, the registry and its
daily reports, the applications, the supplies ledger, the subsidy claims and payment ledger, the
duty assignments: dualtrack/dashboard/tests/recount.py), in the same run. Target: the
refresh's p95 under 100 ms at scale 10.

The district is seeded at --seed-scale (seeding a scale-10 district takes far longer than a run
may) and the passage register, the largest table by far, is then filled to the volume of
--scale by copying the seeded passages server-side, with the daily figures rebuilt from the rows
(the checkpoints benchmark's setup); the other tables stay at the seed scale, which the output
says. PostgreSQL only; a database whose name lacks "bench" is refused, since it is dropped.
Nothing asserts timings; the script reports them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from checkpoints_setup import _django, _ms, say, setup  # noqa: E402
from run import _fresh_database, _machine  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dt_bench_dashboard"
os.environ.setdefault("REQUEST_LOG", "0")  # the JSON request log line, not what is measured


def _baseline(area: Any, day: Any) -> None:
    """Every figure of the board, by GROUP BY over the raw tables."""
    from dualtrack.dashboard.tests import recount

    recount.checkpoints_map(area, day)
    recount.checkpoints_flows(area, day)
    recount.health_curve(area, day)
    recount.health_cases(area, day)
    recount.health_screening(area, day)
    totals = recount.enterprises_totals(area, day)
    assert totals is not None
    import datetime

    recount.enterprises_workers_by_day(
        area, [day - datetime.timedelta(days=n) for n in range(1, 32)]
    )
    recount.jobs_hires(area, day)
    recount.supplies_cover(area, day)
    recount.subsidies_budget(area)
    recount.volunteers_on_duty(area, day)


def _time(function: Any, repeat: int) -> list[float]:
    function()  # warm: the first call compiles, connects, fills the caches
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def bench_refresh(repeat: int) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from dualtrack.areas.models import Area, AreaKind
    from dualtrack.core.models import User

    # Every refresh computes the panels, as the first answer of an interval does: the board kept
    # for the refresh interval (dashboard/selectors.py) would be served from the cache instead.
    settings.DASHBOARD_REFRESH_SECONDS = 0
    commander = User.objects.get(username="commander")
    client = Client()
    client.force_login(commander)
    root = Area.objects.get(kind=AreaKind.DISTRICT)
    town = Area.objects.filter(kind=AreaKind.TOWN).order_by("code").first()
    day = timezone.localdate()
    result: dict[str, Any] = {}
    for label, area in (("district", root), ("town", town)):
        url = f"/api/dashboard/boards/{area.pk}"

        def refresh(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        panels = len(client.get(url).json()["panels"])
        refreshed = _ms(_time(refresh, repeat))
        baseline = _ms(_time(lambda area=area: _baseline(area, day), repeat))
        result[label] = {"panels": panels, "refresh": refreshed, "baseline": baseline}
        say(
            f"{label}: {panels} panels; refresh p50 {refreshed['p50']:.1f} ms, "
            f"p95 {refreshed['p95']:.1f} ms; GROUP BY over the raw tables p50 "
            f"{baseline['p50']:.1f} ms, p95 {baseline['p95']:.1f} ms"
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--seed-scale", type=float, default=1)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="use the database as it is")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("The wall screen's benchmark runs on PostgreSQL (its setup copies rows).")
    machine = _machine()
    if not args.reuse:
        _fresh_database(args.database_url)
    _django(args.database_url)
    if args.reuse:
        from dualtrack.checkpoints.models import Passage

        prepared = {"seed_scale": float("nan"), "passages": Passage.objects.count()}
    else:
        prepared = setup(args.database_url, args.scale, args.seed_scale)
    from django.db import connection

    result = bench_refresh(args.repeat)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    print(
        f"\nWall screen refresh — {machine['nproc']} cores {machine['cpu']}, load at start "
        f"{machine['load']}; {version.split(' on ')[0]}; district seeded at scale "
        f"{prepared['seed_scale']:g}, register filled to {prepared['passages']:,} passages "
        f"(scale {args.scale:g}); {args.repeat} runs each, after one warm-up\n"
    )
    print("| board | panels | refresh p50 / p95 ms | GROUP BY p50 / p95 ms | p95 ratio |")
    print("|---|---:|---:|---:|---:|")
    for label, row in result.items():
        r, b = row["refresh"], row["baseline"]
        print(
            f"| {label} | {row['panels']} | {r['p50']:.1f} / {r['p95']:.1f} | "
            f"{b['p50']:.1f} / {b['p95']:.1f} | {r['p95'] / b['p95']:.2f} |"
        )


if __name__ == "__main__":
    main()
