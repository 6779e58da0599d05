"""The checkpoints benchmark, part 1: the bulk sync against COPY (see bench/checkpoints.py)."""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

from checkpoints_setup import (
    GUNICORN_WORKERS,
    SERVED,
    SYNC_BATCH,
    SYNC_BATCHES,
    SYNC_CLIENTS,
    _gunicorn,
    _identities,
    _pool_map,
    _rows,
    _token,
    say,
)

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
