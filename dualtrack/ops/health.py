"""What ``/healthz`` checks: the database, Redis (when ``REDIS_URL`` is set), the replica's lag
(when ``DATABASE_REPLICA_URL`` is set), the task workers' heartbeat and queue, and the free disk
space.

Each check answers ``ok``, ``degraded`` or ``fail``. Only what stops *this* server from serving
fails it (the database unreachable, its disk full): a load balancer takes a failing server out.
A lagging or lost replica (reads go back to the primary), a silent task worker or a low disk
are the same for every app server, and taking them all out would turn a degradation into an
outage: they make the answer ``degraded``, still 200, for monitoring to alert on.
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from dualtrack.ops.heartbeat import worker_status

OK, DEGRADED, FAIL = "ok", "degraded", "fail"
_RANK = {OK: 0, DEGRADED: 1, FAIL: 2}

# How far the replica has replayed what it received; 0 when it has replayed all of it (an idle
# primary sends nothing, and the time since the last replayed transaction would grow forever).
REPLICA_LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() "
    "THEN 0 ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)


@dataclass
class Check:
    status: str
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, **self.detail}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def check_database() -> Check:
    started = time.perf_counter()
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check(FAIL, {"error": type(exc).__name__})
    return Check(OK, {"ms": _ms(started)})


def check_redis() -> Check | None:
    """Redis, when ``REDIS_URL`` sets it: the sessions, the cache and the rate limits are there,
    so a server that cannot reach it cannot serve (fail). None without Redis."""
    if not settings.REDIS_URL:
        return None
    import redis

    started = time.perf_counter()
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:
        return Check(FAIL, {"error": type(exc).__name__})
    return Check(OK, {"ms": _ms(started)})


def _replica_url() -> str:
    return str(getattr(settings, "DATABASE_REPLICA_URL", "") or "")


def _measure_replica_lag() -> Check:
    import psycopg

    if "replica" in connections:  # the router's alias, when there is one
        query_connection = connections["replica"]
        with query_connection.cursor() as cursor:
            cursor.execute(REPLICA_LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    elif not _replica_url().startswith(("postgres://", "postgresql://")):
        return Check(DEGRADED, {"error": "DATABASE_REPLICA_URL is not a PostgreSQL URL"})
    else:
        config = dj_database_url.parse(_replica_url())
        with psycopg.connect(
            dbname=config.get("NAME") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            connect_timeout=2,
            autocommit=True,
        ) as raw:
            in_recovery, lag = raw.execute(REPLICA_LAG_SQL).fetchone()  # type: ignore[misc]
    if not in_recovery:
        return Check(DEGRADED, {"error": "not a replica (the server is not in recovery)"})
    lag = round(float(lag or 0), 3)
    status = OK if lag <= settings.HEALTH_REPLICA_MAX_LAG_SECONDS else DEGRADED
    return Check(status, {"lag_seconds": lag})


_replica_cache: dict[str, tuple[float, Check]] = {}
_replica_lock = threading.Lock()


def check_replica() -> Check | None:
    """The replica's lag, measured at most every HEALTH_REPLICA_CACHE_SECONDS per process (a new
    connection costs more than the rest of the answer); None when no replica is configured."""
    url = _replica_url()
    if not url:
        return None
    with _replica_lock:
        cached = _replica_cache.get(url)
        if cached and time.monotonic() - cached[0] < settings.HEALTH_REPLICA_CACHE_SECONDS:
            return cached[1]
        try:
            check = _measure_replica_lag()
        except Exception as exc:  # unreachable, refused, not PostgreSQL: reads use the primary
            check = Check(DEGRADED, {"error": type(exc).__name__})
        _replica_cache[url] = (time.monotonic(), check)
        return check


def replica_lost(error: str) -> None:
    """A query on the replica failed: reads go to the primary until the next measurement (at most
    HEALTH_REPLICA_CACHE_SECONDS later) finds it answering again."""
    url = _replica_url()
    if url:
        with _replica_lock:
            _replica_cache[url] = (time.monotonic(), Check(DEGRADED, {"error": error}))


def replica_reads_allowed() -> bool:
    """Whether reads may go to the replica: it answers, is in recovery, and is not behind by more
    than DATABASE_REPLICA_MAX_LAG_SECONDS (the router's own limit, below /healthz's)."""
    check = check_replica()
    if check is None or "lag_seconds" not in check.detail:
        return False
    return bool(check.detail["lag_seconds"] <= settings.DATABASE_REPLICA_MAX_LAG_SECONDS)


def check_worker() -> Check:
    try:
        status = worker_status()
    except DatabaseError as exc:  # the database's own failure is the database check's
        return Check(DEGRADED, {"error": type(exc).__name__})
    detail: dict[str, Any] = {
        "alive": status.alive,
        "heartbeat_age_seconds": _round(status.newest_beat_age),
        "queue_ready": status.ready,
        "oldest_ready_seconds": _round(status.oldest_ready_age),
    }
    waiting_too_long = (status.oldest_ready_age or 0) > settings.HEALTH_QUEUE_MAX_WAIT_SECONDS
    return Check(OK if status.alive and not waiting_too_long else DEGRADED, detail)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def disk_paths() -> list[Path]:
    """The directories this server writes to: the uploads and documents, the SQLite file."""
    paths = [Path(settings.MEDIA_ROOT)]
    database = connections[DEFAULT_DB_ALIAS].settings_dict
    if database["ENGINE"].endswith("sqlite3") and not str(database["NAME"]).startswith("file:"):
        paths.append(Path(database["NAME"]).parent)
    return paths


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk() -> Check:
    status, volumes = OK, {}
    for path in disk_paths():
        usage = shutil.disk_usage(_existing(path))
        free_ratio = usage.free / usage.total if usage.total else 0.0
        if usage.free < settings.HEALTH_DISK_MIN_FREE_MB * 2**20:
            status = FAIL
        elif free_ratio < settings.HEALTH_DISK_LOW_RATIO and status == OK:
            status = DEGRADED
        volumes[str(path)] = {"free_mb": usage.free // 2**20, "free_ratio": round(free_ratio, 3)}
    return Check(status, {"paths": volumes})


def report() -> tuple[str, dict[str, dict[str, Any]]]:
    """The overall status and each check's answer."""
    checks = {"database": check_database()}
    for name, check in (("redis", check_redis()), ("replica", check_replica())):
        if check is not None:
            checks[name] = check
    checks["worker"] = (
        check_worker()
        if checks["database"].status == OK
        else Check(DEGRADED, {"error": "database unreachable"})
    )
    checks["disk"] = check_disk()
    overall = max((c.status for c in checks.values()), key=_RANK.__getitem__)
    return overall, {name: check.as_dict() for name, check in checks.items()}
