"""Benchmarks of the checkpoints app (issue 3), each against a baseline measured in the same run.

    .venv/bin/python bench/checkpoints.py [--database-url URL] [--scale 10] [--seed-scale 0.2]

1. Bulk sync: rows/s through the whole API served by gunicorn (HTTP, JSON, validation, dedup,
   encryption, the insert, alerts and figures), from one client and from two at once, against
   a raw psycopg COPY of the same rows as the sync stored them (ciphertexts, digests, shifts;
   fresh client ids), batch by batch with a commit each, into the register itself (its
   constraints, foreign keys and indexes) from as many connections; COPY's rows are deleted
   again after each run. --repeat runs, each sync followed by its COPY; the median ratio.
2. Single registration: requests/s and latency percentiles at 8 and 32 concurrent connections
   against gunicorn (sync workers, started here on a free port), with a multi-process client,
   against a bare single-row INSERT + COMMIT loop at the same concurrency; and, as the stack's
   floor, GET /api/account/me (a token, the scope, a JSON answer, nothing written) served alike.
3. Today's figures for a checkpoint and for a town: the selector (daily rollups) against the
   same figures computed by GROUP BY over the raw passages.

The district is seeded at --seed-scale (seeding a scale-10 district, a million residents, takes
far longer than the ten minutes this run may take) and the register is then filled to the
passage volume of --scale directly, by copying the seeded passages server-side with fresh client
ids; the figures are rebuilt from the rows. The output says so. PostgreSQL only for parts 1 and
2's baselines (COPY); a database whose name lacks "bench" is refused, since it is dropped.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import checkpoints_setup  # noqa: E402
from checkpoints_load import (  # noqa: E402
    bench_figures,
    bench_register,
)
from checkpoints_setup import (  # noqa: E402
    CONCURRENCY,
    DEFAULT_URL,
    SYNC_BATCH,
    SYNC_CLIENTS,
    _django,
    _ms,
    say,
    setup,
)
from checkpoints_sync import (  # noqa: E402
    bench_sync,
    bench_sync_breakdown,
)
from run import _fresh_database, _machine  # noqa: E402

# --- Main ----------------------------------------------------------------------------------------


def _existing_setup() -> dict[str, Any]:
    from dualtrack.checkpoints.models import Checkpoint, Passage

    return {
        "seed_scale": float("nan"),
        "seed_seconds": 0.0,
        "seeded_passages": 0,
        "passages": Passage.objects.count(),
        "checkpoints": Checkpoint.objects.count(),
        "reused": True,
    }


def _round_trip() -> dict[str, float]:
    """How long the machine takes for SELECT 1 right now: a yardstick for the load."""
    from django.db import connection

    samples = []
    with connection.cursor() as cursor:
        for _ in range(200):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            samples.append(time.perf_counter() - started)
    return _ms(samples)


def _report(
    machine: dict[str, str],
    setup_info: dict,
    sync: dict | None,
    reg: dict | None,
    fig: dict | None,
) -> str:
    rt = setup_info["round_trip_ms"]
    if setup_info.get("reused"):
        origin = f"the database of the previous run, {setup_info['passages']:,} passages"
    else:
        origin = (
            f"district seeded at scale {setup_info['seed_scale']:g} "
            f"({setup_info['checkpoints']} checkpoints, {setup_info['seeded_passages']:,} "
            f"passages, {setup_info['seed_seconds']:.0f} s), register then filled to "
            f"{setup_info['passages']:,} passages (the scale-10 volume) by server-side copies"
        )
    lines = [
        f"Machine: {machine['nproc']} cores, {machine['cpu']}, Python {machine['python']}; "
        f"load average at start {machine['load']}; SELECT 1 round trip p50/p95 "
        f"{rt['p50']:.2f}/{rt['p95']:.2f} ms",
        f"Data: {origin}.",
        "",
        "| figure | dualtrack | baseline | ratio |",
        "|---|---:|---:|---:|",
    ]
    if sync:
        for clients in SYNC_CLIENTS:
            r = sync[str(clients)]
            each = ", ".join(f"{run['ratio']:.2f}" for run in r["runs"])
            lines.append(
                f"| bulk sync over HTTP, {clients} client(s) at once, rows/s "
                f"({sync['rows']:,} rows in batches of {SYNC_BATCH:,}; median of "
                f"{sync['repeat']} runs) | {r['sync_rows_per_s']:,.0f} | "
                f"{r['copy_rows_per_s']:,.0f} (COPY of the rows as stored into the register, "
                f"{clients} connection(s)) | {r['ratio']:.2f}× (runs: {each}; target ≥ 0.5×) |"
            )
            lines.append(
                f"| the same, CPU of all processes a thousand rows (ms; median) | "
                f"{r['sync_cpu_ms_per_1000']:.0f} | {r['copy_cpu_ms_per_1000']:.0f} | "
                f"{r['cpu_ratio']:.2f}× |"
            )
    if reg:
        for c in CONCURRENCY:
            r = reg[str(c)]
            lines.append(
                f"| registration at {c} connections, req/s · p50/p99 ms | "
                f"{r['req_per_s']:,.0f} · {r['latency_ms']['p50']:.1f}/"
                f"{r['latency_ms']['p99']:.1f} | "
                f"{r['baseline_per_s']:,.0f} · {r['baseline_ms']['p50']:.1f}/"
                f"{r['baseline_ms']['p99']:.1f} (INSERT+COMMIT) | "
                f"{r['req_per_s'] / r['baseline_per_s']:.2f}× req/s (target p99 < 50 ms at 32) |"
            )
        for c in CONCURRENCY:
            r = reg[str(c)]
            lines.append(
                f"| the stack's floor: GET /api/account/me at {c} connections, "
                "req/s · p50/p99 ms | "
                f"{r['me_per_s']:,.0f} · {r['me_ms']['p50']:.1f}/{r['me_ms']['p99']:.1f} | | "
                f"registration at {r['req_per_s'] / r['me_per_s']:.2f}× its req/s |"
            )
        cpu = reg["cpu"]
        lines.append(
            f"| one registration in-process: CPU ms · wall p50 ms | {cpu['cpu_ms']:.1f} · "
            f"{cpu['wall_ms']:.1f} | | |"
        )
    if fig:
        for label in ("checkpoint", "town"):
            f = fig[label]
            lines.append(
                f"| today's figures, {label} ({f['passages_today']:,} passages today), "
                f"p50/p95 ms | {f['rollup_ms']['p50']:.2f}/{f['rollup_ms']['p95']:.2f} | "
                f"{f['group_by_ms']['p50']:.2f}/{f['group_by_ms']['p95']:.2f} (GROUP BY) | "
                f"{f['speedup_p95']:.1f}× faster at p95 (target < 20 ms, ≥ 10×) |"
            )
            h, a = f["group_by_by_hand_ms"], f["rollup_again_ms"]
            lines.append(
                f"| the same, against the GROUP BY in hand-written SQL | | "
                f"{h['p50']:.2f}/{h['p95']:.2f} | {f['speedup_by_hand_p95']:.1f}× |"
            )
            lines.append(
                f"| the same, a further read in the request (scope built) | "
                f"{a['p50']:.2f}/{a['p95']:.2f} | | {f['group_by_ms']['p95'] / a['p95']:.1f}× · "
                f"{h['p95'] / a['p95']:.1f}× by hand |"
            )
    if sync:
        lines.append(f"\nWhere a sync batch of {SYNC_BATCH:,} rows spends its time, in-process:")
        lines.append("\n| phase | ms (median) |\n|---|---:|")
        lines += [f"| {label} | {ms:.1f} |" for label, ms in sync["breakdown"].items()]
        lines.append(
            f"\nSync retried batch: {sync['retry_duplicates']:,} of {SYNC_BATCH:,} rows answered "
            f"as duplicates, {sync['retry_written']} written."
        )
    if reg:
        lines.append(f"Gunicorn: {reg['workers']} sync workers.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--seed-scale", type=float, default=0.2)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep the database of the previous run (already seeded and filled).",
    )
    parser.add_argument("--only", default="sync,register,figures")
    parser.add_argument(
        "--repeat", type=int, default=3, help="Sync/COPY runs (the median ratio is reported)."
    )
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    args = parser.parse_args()
    checkpoints_setup.PORT = args.port  # read by the gunicorn it starts
    parts_wanted = set(args.only.split(","))
    url = args.database_url
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("These benchmarks compare against COPY: give a PostgreSQL database URL.")
    if "bench" not in parts.path:
        raise SystemExit("Refusing a database whose name lacks 'bench': it is dropped.")
    machine = _machine()
    started = time.perf_counter()
    if args.reuse:
        _django(url)
        setup_info = _existing_setup()
    else:
        _fresh_database(url)
        _django(url)
        setup_info = setup(url, args.scale, args.seed_scale)
    from django.db import connection

    connection.close()
    setup_info["round_trip_ms"] = _round_trip()
    sync = bench_sync(url, args.repeat) if "sync" in parts_wanted else None
    if sync:
        sync["breakdown"] = bench_sync_breakdown()
    say(f"sync: {sync}")
    connection.close()
    reg = bench_register(url) if "register" in parts_wanted else None
    fig = bench_figures() if "figures" in parts_wanted else None
    print(_report(machine, setup_info, sync, reg, fig))
    say(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
