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
import contextlib
import json
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
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from run import _fresh_database, _machine  # noqa: E402

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
    from dualtrack.demo.district import seed_district

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


# --- 1. Bulk sync --------------------------------------------------------------------------------

PASSAGE_COLUMNS = [
    "checkpoint_id", "shift_id", "client_id", "occurred_at", "received_at", "direction",
    "temperature", "temperature_confirmed_by_id", "resident_id", "name", "id_number",
    "id_digest", "phone", "phone_digest", "origin_code", "origin_name", "purpose",
    "notice_given", "source", "recorded_by_id", "is_fever", "from_risk_area",
]  # fmt: skip


def _cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (Linux /proc); 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_cpu() -> dict[int, float]:
    """CPU used so far by each gunicorn worker and each backend of this database but ours: the
    sync's server side (the workers keep their connections between requests)."""
    from django.db import connection

    master = SERVED["pid"]
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = [pid for (pid,) in cursor.fetchall()]
    return {pid: _cpu_seconds(pid) for pid in [*map(int, children), *backends]}


def _cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys())


def _sync_worker(
    args: tuple[int, str, list[str]],
) -> tuple[list[dict[str, Any]], float, float, float]:
    """POST the batches one after another on one HTTP connection; the answers, when the first
    was sent and the last answered, and the CPU this client spent."""
    import http.client

    port, token, bodies = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.connect()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    answers = []
    cpu = time.process_time()
    started = time.perf_counter()
    for body in bodies:
        conn.request("POST", "/api/checkpoints/passages/sync", body.encode(), headers)
        response = conn.getresponse()
        answer = json.loads(response.read())
        if response.status != 200 or answer["rejected"]:
            raise RuntimeError(f"status {response.status}: {str(answer)[:300]}")
        answers.append(answer)
    ended = time.perf_counter()
    cpu = time.process_time() - cpu
    conn.close()
    return answers, started, ended, cpu


def _copy_worker(
    args: tuple[str, list[list[tuple[Any, ...]]]],
) -> tuple[None, float, float, float]:
    """COPY each batch into the register and commit, as the sync does per request; when the
    first began and the last was committed (the connection made beforehand), and the CPU this
    client and its backend spent."""
    import psycopg

    url, batches = args
    statement = f"COPY checkpoints_passage ({', '.join(PASSAGE_COLUMNS)}) FROM STDIN"
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        backend = conn.info.backend_pid
        cpu = time.process_time() + _cpu_seconds(backend)
        started = time.perf_counter()
        for batch in batches:
            with conn.cursor() as cur, cur.copy(statement) as copy:
                for row in batch:
                    copy.write_row(row)
            conn.commit()
        ended = time.perf_counter()
        cpu = time.process_time() + _cpu_seconds(backend) - cpu
    return None, started, ended, cpu


def _span(results: list[tuple[Any, float, float, float]]) -> float:
    """From the first worker's start to the last one's end (perf_counter is the system's
    monotonic clock, the same in every process)."""
    return max(r[2] for r in results) - min(r[1] for r in results)


def _as_stored(batches: list[list[dict]]) -> list[list[tuple[Any, ...]]]:
    """The rows the sync stored for these batches, column for column as the register holds
    them (ciphertexts, digests, shift, region name, flags), each under a fresh client id."""
    from django.db import connection

    client = PASSAGE_COLUMNS.index("client_id")
    out = []
    with connection.cursor() as cursor:
        for batch in batches:
            cursor.execute(
                f"SELECT {', '.join(PASSAGE_COLUMNS)} FROM checkpoints_passage "
                "WHERE client_id = ANY(%s)",
                [[uuid.UUID(row["client_id"]) for row in batch]],
            )
            stored = cursor.fetchall()
            assert len(stored) == len(batch)
            out.append([(*r[:client], uuid.uuid4(), *r[client + 1 :]) for r in stored])
    return out


def _forget(batches: list[list[tuple[Any, ...]]]) -> None:
    """Delete COPY's rows again (they are not in the figures) and vacuum them away, so that
    the next run finds the register as the sync left it."""
    from django.db import connection

    client = PASSAGE_COLUMNS.index("client_id")
    ids = [row[client] for batch in batches for row in batch]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM checkpoints_passage WHERE client_id = ANY(%s)", [ids])
        cursor.execute("VACUUM checkpoints_passage")


def bench_sync(url: str, repeat: int) -> dict[str, Any]:
    from django.db import connection

    from dualtrack.checkpoints.models import Checkpoint, Passage

    token = _token()
    ids = list(Checkpoint.objects.filter(status="open").values_list("pk", flat=True))
    people = _identities(2000)
    columns = [f.column for f in Passage._meta.concrete_fields if not f.primary_key]
    assert sorted(PASSAGE_COLUMNS) == sorted(columns), (PASSAGE_COLUMNS, columns)
    rows_per_run = SYNC_BATCH * SYNC_BATCHES
    out: dict[str, Any] = {"rows": rows_per_run, "repeat": repeat}
    runs: dict[str, list[dict[str, float]]] = {str(c): [] for c in SYNC_CLIENTS}
    with _gunicorn(url) as port:
        # Warm every worker up (a worker's first batch loads the region and ID-number tables):
        # as many batches at once as there are workers, so that each gets one.
        _pool_map(
            _sync_worker,
            [
                (port, token, [json.dumps({"rows": _rows(ids, SYNC_BATCH, people)})])
                for _ in range(GUNICORN_WORKERS)
            ],
        )
        for attempt in range(repeat):
            for clients in SYNC_CLIENTS:
                # SYNC_BATCHES batches shared out over the clients, a batch per client at a time;
                # after each step, the same rows as the sync stored them by COPY from as many
                # connections into the same table. Step by step, so that a burst of load from
                # elsewhere on the machine falls on both sides alike.
                seconds = copy_seconds = cpu = copy_cpu = 0.0
                copied: list[list[tuple[Any, ...]]] = []
                before = Passage.objects.count()
                for _step in range(SYNC_BATCHES // clients):
                    batches = [_rows(ids, SYNC_BATCH, people) for _ in range(clients)]
                    bodies = [[json.dumps({"rows": batch})] for batch in batches]
                    server = _server_cpu()
                    answers, _ = _pool_map(_sync_worker, [(port, token, b) for b in bodies])
                    seconds += _span(answers)
                    cpu += _cpu_between(server, _server_cpu()) + sum(a[3] for a in answers)
                    copies = [_as_stored([batch]) for batch in batches]
                    connection.close()  # no connection of this process is forked into the pool
                    done, _ = _pool_map(_copy_worker, [(url, c) for c in copies])
                    copy_seconds += _span(done)
                    copy_cpu += sum(d[3] for d in done)
                    copied += [batch for c in copies for batch in c]
                assert Passage.objects.count() - before == 2 * rows_per_run
                _forget(copied)
                run = {
                    "sync_rows_per_s": rows_per_run / seconds,
                    "copy_rows_per_s": rows_per_run / copy_seconds,
                }
                run["ratio"] = run["sync_rows_per_s"] / run["copy_rows_per_s"]
                # CPU of every process on each side (clients, gunicorn workers, backends) a
                # thousand rows: what the ratio tends to when the cores are the limit.
                run["sync_cpu_ms_per_1000"] = cpu * 1000 / (rows_per_run / 1000)
                run["copy_cpu_ms_per_1000"] = copy_cpu * 1000 / (rows_per_run / 1000)
                run["cpu_ratio"] = run["copy_cpu_ms_per_1000"] / run["sync_cpu_ms_per_1000"]
                runs[str(clients)].append(run)
                say(f"sync, run {attempt + 1}, {clients} client(s): {run}")
        # A retried batch: every row answered as a duplicate, nothing written.
        before = Passage.objects.count()
        ((retry, *_times),), _seconds = _pool_map(_sync_worker, [(port, token, bodies[0])])
        out["retry_duplicates"] = sum(1 for a in retry[0]["accepted"] if a["duplicate"])
        out["retry_written"] = Passage.objects.count() - before
    for label, results in runs.items():
        out[label] = {
            "runs": results,
            **{
                key: statistics.median(r[key] for r in results)
                for key in (
                    "sync_rows_per_s",
                    "copy_rows_per_s",
                    "ratio",
                    "sync_cpu_ms_per_1000",
                    "copy_cpu_ms_per_1000",
                    "cpu_ratio",
                )
            },
        }
    return out


BREAKDOWN_BATCHES = 6


def bench_sync_breakdown() -> dict[str, float]:
    """Where a batch's time goes, in-process (no HTTP): each phase timed around the service's
    own functions, median over BREAKDOWN_BATCHES batches of SYNC_BATCH rows, in ms."""
    from django.db import connections

    from dualtrack.checkpoints.models import Checkpoint
    from dualtrack.checkpoints.services import sync
    from dualtrack.core.models import User

    admin = User.objects.get(username="admin")
    ids = list(Checkpoint.objects.filter(status="open").values_list("pk", flat=True))
    people = _identities(2000)
    spent: dict[str, float] = {}

    def timed(owner: Any, name: str, label: str) -> tuple[Any, str, Any]:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

        setattr(owner, name, wrapper)
        return owner, name, original

    patched = [
        timed(sync, "clean_passage", "validation: clean_passage"),
        timed(sync._Sealer, "__call__", "AES-GCM + HMAC of ID numbers and phones"),
        timed(sync, "insert_passages", "COPY (sealing overlapped)"),
        timed(type(connections["default"]), "commit", "commit (deferred foreign-key checks)"),
    ]
    samples: dict[str, list[float]] = {}
    try:
        for attempt in range(BREAKDOWN_BATCHES + 1):
            rows = _rows(ids, SYNC_BATCH, people)
            spent.clear()
            started = time.perf_counter()
            cpu = time.process_time()
            report = sync.passages_sync(actor=admin, rows=rows)
            spent["CPU of this process"] = time.process_time() - cpu
            spent["total"] = time.perf_counter() - started
            assert len(report.accepted) == SYNC_BATCH
            if attempt:  # the first loads the region and ID-number tables
                for label, seconds in spent.items():
                    samples.setdefault(label, []).append(seconds * 1000)
    finally:
        for owner, name, original in patched:
            setattr(owner, name, original)
    out = {label: statistics.median(values) for label, values in samples.items()}
    out["the rest (row loop, shifts, figures, audit, answer)"] = out["total"] - sum(
        out[label]
        for label in (
            "validation: clean_passage",
            "COPY (sealing overlapped)",
            "commit (deferred foreign-key checks)",
        )
    )
    say(f"sync breakdown, ms a batch of {SYNC_BATCH}: {out}")
    return out


# --- 2. Single registration under gunicorn -------------------------------------------------------


def _http_worker(args: tuple[int, str, str, str, list[str], int, int]) -> list[float]:
    """``per_client`` requests, one after another on one connection; their latencies. A body's
    CLIENT-ID is replaced by a fresh UUID each time."""
    import http.client

    port, token, method, path, bodies, per_client, expected = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    samples = []
    for i in range(per_client):
        body = bodies[i % len(bodies)].replace("CLIENT-ID", str(uuid.uuid4())) if bodies else None
        started = time.perf_counter()
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        response.read()
        samples.append(time.perf_counter() - started)
        if response.status != expected:
            raise RuntimeError(f"{method} {path}: status {response.status}")
    conn.close()
    return samples


def _insert_worker(args: tuple[str, int, int]) -> list[float]:
    import datetime as dt

    import psycopg

    url, per_client, checkpoint_id = args
    samples = []
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        for _ in range(per_client):
            now = dt.datetime.now(dt.UTC)
            started = time.perf_counter()
            conn.execute(
                "INSERT INTO bench_passage_insert (checkpoint_id, client_id, occurred_at, "
                "received_at, direction, temperature, name, id_number, id_digest, phone, "
                "phone_digest, origin_code, origin_name, purpose, notice_given, source, "
                "is_fever, from_risk_area) VALUES (%s, %s, %s, %s, 'in', 36.5, '张三', "
                "'x', '', '', '', '360111', '', '', true, 'staff', false, false)",
                [checkpoint_id, uuid.uuid4(), now, now],
            )
            conn.commit()
            samples.append(time.perf_counter() - started)
    return samples


def bench_register(url: str) -> dict[str, Any]:
    from django.db import connection

    from dualtrack.checkpoints.models import Checkpoint

    token = _token()
    checkpoint = Checkpoint.objects.filter(status="open").order_by("pk").first()
    assert checkpoint is not None
    people = _identities(500)
    bodies = [
        json.dumps(
            {
                "client_id": "CLIENT-ID",
                "direction": "in",
                "temperature": "36.6",
                "name": "李四",
                "id_number": id_number,
                "phone": phone,
                "origin_code": "360111",
                "purpose": "回家",
                "notice_given": True,
            }
        )
        for id_number, phone in people
    ]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_passage_insert")
        cursor.execute("CREATE TABLE bench_passage_insert (LIKE checkpoints_passage INCLUDING ALL)")
    results: dict[str, Any] = {"workers": GUNICORN_WORKERS, "cpu": _cpu_per_registration(token)}
    register = f"/api/checkpoints/checkpoints/{checkpoint.pk}/passages"
    with _gunicorn(url) as port:
        # Warm every worker up.
        _pool_map(
            _http_worker, [(port, token, "POST", register, bodies, 20, 201)] * GUNICORN_WORKERS
        )
        for concurrency in CONCURRENCY:
            per_client = REQUESTS_PER_CLIENT[concurrency]
            parts, seconds = _pool_map(
                _http_worker,
                [(port, token, "POST", register, bodies, per_client, 201)] * concurrency,
            )
            samples = [s for part in parts for s in part]
            # The stack's floor: a token, the scope, a JSON answer, nothing written.
            me_parts, me_seconds = _pool_map(
                _http_worker,
                [(port, token, "GET", "/api/account/me", [], per_client, 200)] * concurrency,
            )
            me = [s for part in me_parts for s in part]
            base_parts, base_seconds = _pool_map(
                _insert_worker, [(url, per_client, checkpoint.pk)] * concurrency
            )
            base = [s for part in base_parts for s in part]
            results[str(concurrency)] = {
                "requests": len(samples),
                "req_per_s": len(samples) / seconds,
                "latency_ms": _ms(samples),
                "me_per_s": len(me) / me_seconds,
                "me_ms": _ms(me),
                "baseline_per_s": len(base) / base_seconds,
                "baseline_ms": _ms(base),
            }
            say(f"registration at {concurrency}: {results[str(concurrency)]}")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_passage_insert")
    return results


# --- 3. Today's figures --------------------------------------------------------------------------


def _raw_figures(checkpoint_ids: Any, day: Any) -> dict[str, Any]:
    """The same figures from the raw rows: GROUP BY over today's passages and their alerts."""
    import statistics as st

    from django.db.models import Count, Q

    from dualtrack.checkpoints.models import Alert, Passage
    from dualtrack.checkpoints.selectors.register import day_bounds

    start, end = day_bounds(day)
    passages = Passage.objects.filter(
        checkpoint_id__in=checkpoint_ids, occurred_at__gte=start, occurred_at__lt=end
    )
    counts = passages.aggregate(
        people_in=Count("id", filter=Q(direction="in")),
        people_out=Count("id", filter=Q(direction="out")),
        fevers=Count("id", filter=Q(is_fever=True)),
        risk=Count("id", filter=Q(from_risk_area=True)),
    )
    alerts = list(Alert.objects.filter(passage__in=passages).values_list("raised_at", "handled_at"))
    handled = [(h - r).total_seconds() / 60 for r, h in alerts if h]
    counts["alerts_open"] = sum(1 for _, h in alerts if h is None)
    counts["median"] = st.median(handled) if handled else None
    return counts


def _raw_figures_by_hand(checkpoint_ids: Any, day: Any) -> tuple[Any, ...]:
    """The same GROUP BY in hand-written, prepared SQL (as the rollups are read), so that the
    comparison is of the rollups against the rows, not of hand-written SQL against the ORM."""
    import statistics as st

    from dualtrack.checkpoints.selectors.register import day_bounds
    from dualtrack.core import sql

    start, end = day_bounds(day)
    marks = ", ".join(["%s"] * len(checkpoint_ids))
    where = f"p.checkpoint_id IN ({marks}) AND p.occurred_at >= %s AND p.occurred_at < %s"
    params = [*checkpoint_ids, start, end]
    counts = sql.fetch_one(
        "SELECT count(*) FILTER (WHERE p.direction = 'in'), "
        "count(*) FILTER (WHERE p.direction = 'out'), count(*) FILTER (WHERE p.is_fever), "
        f"count(*) FILTER (WHERE p.from_risk_area) FROM checkpoints_passage p WHERE {where}",
        params,
    )
    alerts = sql.fetch_all(
        "SELECT a.raised_at, a.handled_at FROM checkpoints_alert a "
        f"JOIN checkpoints_passage p ON p.id = a.passage_id WHERE {where}",
        params,
    )
    handled = [(h - r).total_seconds() / 60 for r, h in alerts if h]
    return (*(counts or ()), st.median(handled) if handled else None)


def bench_figures() -> dict[str, Any]:
    import datetime

    from django.db.models import Count
    from django.utils import timezone

    from dualtrack.areas.models import Area, AreaKind
    from dualtrack.checkpoints.figures import figures_for
    from dualtrack.checkpoints.models import Checkpoint, Passage
    from dualtrack.core.models import User

    admin = User.objects.get(username="admin")
    today = timezone.localdate()
    busiest = (
        Passage.objects.filter(occurred_at__gte=timezone.now() - datetime.timedelta(hours=12))
        .values("checkpoint_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    checkpoint = Checkpoint.objects.select_related("area").get(pk=busiest["checkpoint_id"])
    town = Area.objects.get(code=checkpoint.area.code[:4], kind=AreaKind.TOWN)
    town_ids = list(
        Checkpoint.objects.filter(area__code__startswith=town.code).values_list("pk", flat=True)
    )
    out: dict[str, Any] = {}
    for label, kwargs, ids in (
        ("checkpoint", {"checkpoint": checkpoint}, [checkpoint.pk]),
        ("town", {"area": town}, town_ids),
    ):
        rolled = figures_for(user=admin, **kwargs)
        raw = _raw_figures(ids, today)
        assert (rolled.people_in, rolled.people_out, rolled.fevers) == (
            raw["people_in"],
            raw["people_out"],
            raw["fevers"],
        ), (rolled, raw)
        assert _raw_figures_by_hand(ids, today)[:3] == (
            raw["people_in"],
            raw["people_out"],
            raw["fevers"],
        )
        fast, again, slow, by_hand = [], [], [], []
        for _ in range(FIGURE_RUNS):
            user = User.objects.get(pk=admin.pk)  # a fresh request: the scope is rebuilt
            started = time.perf_counter()
            figures_for(user=user, **kwargs)
            fast.append(time.perf_counter() - started)
            # A further read in the same request (a figures page reads one a town or gate).
            started = time.perf_counter()
            figures_for(user=user, **kwargs)
            again.append(time.perf_counter() - started)
            started = time.perf_counter()
            _raw_figures(ids, today)
            slow.append(time.perf_counter() - started)
            started = time.perf_counter()
            _raw_figures_by_hand(ids, today)
            by_hand.append(time.perf_counter() - started)
        out[label] = {
            "name": str(kwargs.get("checkpoint") or kwargs.get("area")),
            "passages_today": raw["people_in"] + raw["people_out"],
            "rollup_ms": _ms(fast),
            "rollup_again_ms": _ms(again),
            "group_by_ms": _ms(slow),
            "group_by_by_hand_ms": _ms(by_hand),
            "speedup_p95": _ms(slow)["p95"] / _ms(fast)["p95"],
            "speedup_by_hand_p95": _ms(by_hand)["p95"] / _ms(fast)["p95"],
        }
        say(f"figures {label}: {out[label]}")
    return out


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


def _cpu_per_registration(token: str) -> dict[str, float]:
    """CPU seconds the Django process spends on one registration (in-process, test client):
    less sensitive to a busy machine than wall time."""
    from django.test import Client

    from dualtrack.checkpoints.models import Checkpoint

    checkpoint = Checkpoint.objects.filter(status="open").order_by("pk").first()
    assert checkpoint is not None
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    people = _identities(100)
    url = f"/api/checkpoints/checkpoints/{checkpoint.pk}/passages"
    cpu, wall = [], []
    for i in range(220):
        body = json.dumps(
            {
                "client_id": str(uuid.uuid4()),
                "direction": "in",
                "temperature": "36.6",
                "name": "王五",
                "id_number": people[i % 100][0],
                "phone": people[i % 100][1],
                "origin_code": "360111",
            }
        )
        c0, w0 = time.process_time(), time.perf_counter()
        response = client.post(url, body, content_type="application/json")
        c1, w1 = time.process_time(), time.perf_counter()
        assert response.status_code == 201, response.content
        if i >= 20:
            cpu.append(c1 - c0)
            wall.append(w1 - w0)
    return {"cpu_ms": statistics.fmean(cpu) * 1000, "wall_ms": _ms(wall)["p50"]}


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
    global PORT
    PORT = args.port
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
