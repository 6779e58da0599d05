"""The checkpoints benchmark (bench/checkpoints.py): its settings, the district it seeds and fills,
the rows it sends, and the gunicorn it serves them with."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dt_bench_checkpoints"
PASSAGES_AT_SCALE_1 = 210_000
SYNC_BATCH = 5000
SYNC_BATCHES = 8
SYNC_CLIENTS = (1, 2)  # devices syncing at once; SYNC_BATCHES is shared out among them
FIGURE_RUNS = 300
CONCURRENCY = (8, 32)
REQUESTS_PER_CLIENT = {8: 150, 32: 60}
GUNICORN_WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PORT = 0  # --port; 0: one the system picks
SERVED: dict[str, int] = {}  # the running gunicorn's master process id


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

    return {"p50": pct(50), "p95": pct(95), "p99": pct(99), "mean": statistics.fmean(ms)}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Setup ---------------------------------------------------------------------------------------


def setup(url: str, scale: float, seed_scale: float) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from dualtrack.checkpoints.models import Passage
    from dualtrack.demo.seed import seed_district

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seeded = seed_district(scale=seed_scale, progress=say)
    seed_seconds = time.perf_counter() - started
    base = Passage.objects.count()
    target = int(PASSAGES_AT_SCALE_1 * scale)
    copies = max(0, round(target / max(base, 1)) - 1)
    started = time.perf_counter()
    columns = [
        f.column
        for f in Passage._meta.concrete_fields
        if not f.primary_key and f.column not in ("client_id", "occurred_at", "received_at")
    ]
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if copies and connection.vendor == "postgresql":
            # A bulk load: no foreign-key triggers (the copies reference rows that exist) and
            # the secondary indexes built once afterwards.
            cursor.execute("SET session_replication_role = replica")
            indexes = [
                (index.name, str(index.create_sql(Passage, connection.schema_editor())))
                for index in Passage._meta.indexes
            ]
            for name, _sql in indexes:
                cursor.execute(f"DROP INDEX {name}")
            # Copies are ordinary passages (no fever, no risk): the alerts stay as seeded.
            select = ", ".join(
                "false" if c in ("is_fever", "from_risk_area") else c for c in columns
            )
            cursor.execute(
                f"INSERT INTO checkpoints_passage ({names}, client_id, occurred_at, received_at) "
                f"SELECT {select}, gen_random_uuid(), "
                "LEAST(occurred_at + g * interval '1 second', now()), "
                "LEAST(received_at + g * interval '1 second', now()) "
                "FROM checkpoints_passage, generate_series(1, %s) AS g",
                [copies],
            )
            for _name, sql in indexes:
                cursor.execute(sql)
            cursor.execute("SET session_replication_role = DEFAULT")
        _rebuild_figures(cursor)
        cursor.execute("ANALYZE")
    total = Passage.objects.count()
    say(f"register filled to {total:,} passages in {time.perf_counter() - started:.1f} s")
    return {
        "seed_scale": seed_scale,
        "seed_seconds": seed_seconds,
        "seeded_passages": base,
        "passages": total,
        "checkpoints": seeded.counts.get("checkpoints", 0),
    }


def _rebuild_figures(cursor: Any) -> None:
    """The daily and shift figures, rebuilt from the rows after the volume was copied in."""
    counters = (
        "count(*) FILTER (WHERE p.direction = 'in'), count(*) FILTER (WHERE p.direction = 'out'), "
        "count(*) FILTER (WHERE p.is_fever), count(*) FILTER (WHERE p.from_risk_area), "
        "count(a.id), count(a.handled_at)"
    )
    cols = "people_in, people_out, fevers, risk_arrivals, alerts_raised, alerts_handled"
    cursor.execute("DELETE FROM checkpoints_dailyfigure")
    cursor.execute("DELETE FROM checkpoints_shiftfigure")
    cursor.execute(
        f"INSERT INTO checkpoints_dailyfigure (checkpoint_id, day, {cols}) "
        f"SELECT p.checkpoint_id, (p.occurred_at AT TIME ZONE 'Asia/Shanghai')::date, {counters} "
        "FROM checkpoints_passage p LEFT JOIN checkpoints_alert a ON a.passage_id = p.id "
        "GROUP BY 1, 2"
    )
    cursor.execute(
        f"INSERT INTO checkpoints_shiftfigure (shift_id, {cols}) "
        f"SELECT p.shift_id, {counters} FROM checkpoints_passage p "
        "LEFT JOIN checkpoints_alert a ON a.passage_id = p.id "
        "WHERE p.shift_id IS NOT NULL GROUP BY 1"
    )


# --- Rows for the sync and the registrations -----------------------------------------------------


def _identities(n: int) -> list[tuple[str, str]]:
    from stdnum.cn import ric

    people = []
    for i in range(n):
        body = f"360121{1960 + i % 40}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        people.append((body + ric.calc_check_digit(body + "0"), f"139{i:08d}"))
    return people


def _rows(checkpoint_ids: list[int], n: int, people: list[tuple[str, str]]) -> list[dict]:
    import datetime

    from django.utils import timezone

    now = timezone.now()
    rows = []
    for i in range(n):
        id_number, phone = people[i % len(people)]
        rows.append(
            {
                "checkpoint_id": checkpoint_ids[i % len(checkpoint_ids)],
                "client_id": str(uuid.uuid4()),
                "occurred_at": (now - datetime.timedelta(seconds=60 + i % 3000)).isoformat(),
                "direction": "in" if i % 2 else "out",
                "temperature": f"{36 + (i % 12) / 10:.1f}",
                "name": "张三",
                "id_number": id_number,
                "phone": phone,
                "origin_code": "360111",
                "purpose": "上班",
                "notice_given": True,
            }
        )
    return rows


# --- Serving -------------------------------------------------------------------------------------


@contextlib.contextmanager
def _gunicorn(url: str) -> Iterator[int]:
    """gunicorn (sync workers) on --port (or a free port), as production serves; yields it."""
    port = PORT or _free_port()
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "DB_CONN_MAX_AGE": "600"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--worker-class",
            "sync",
            "--backlog",
            "256",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        SERVED["pid"] = server.pid
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _token() -> str:
    from dualtrack.core.models import User
    from dualtrack.core.services import api_token_create

    admin = User.objects.get(username="admin")
    return api_token_create(actor=admin, name=f"bench-{uuid.uuid4().hex[:8]}").raw


def _pool_map(function: Any, jobs: list[Any]) -> tuple[list[Any], float]:
    """Run the jobs in as many processes at once; their results and the wall time."""
    with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
        started = time.perf_counter()
        results = pool.map(function, jobs)
        return results, time.perf_counter() - started
