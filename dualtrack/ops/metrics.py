"""Prometheus metrics, with the official client (``prometheus-client``).

Per request (``dualtrack.ops.middleware``): requests by method, route and status; latency and
database time by method and route. The route is the URL pattern (``api/checkpoints/
checkpoints/<int:checkpoint_id>/passages``), never the path, and unknown methods count as
``other``, so that no caller can multiply the series.

At each scrape, from the database (``DatabaseCollector``): the task queue, the workers'
heartbeat, registrations at the gates in the last minute, the replica's lag. These are the
district's, the same on every app server: aggregate them with ``max``, not ``sum``.

Under gunicorn each worker process counts its own requests: set ``PROMETHEUS_MULTIPROC_DIR`` to
an empty directory (emptied at every start) and ``/metrics`` adds up all the workers' counts
(``make serve`` does; see docs/operations.md).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from dualtrack.checkpoints.models import Passage
from dualtrack.ops.health import check_replica
from dualtrack.ops.heartbeat import worker_status

disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Seconds: a registration takes a few milliseconds, an export page may take a second.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "dualtrack_http_requests", "HTTP requests answered.", ["method", "route", "status"]
)
LATENCY = Histogram(
    "dualtrack_http_request_duration_seconds",
    "Time from the first middleware to the answer.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
DATABASE_TIME = Histogram(
    "dualtrack_http_request_db_seconds",
    "Time a request spent in database statements.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
QUERIES = Counter("dualtrack_db_queries", "Database statements run by requests.", ["method"])


# The labelled children of each (method, route, status), found once: .labels() takes a lock and
# checks its arguments at every call. Bounded, as the labels are.
_children: dict[tuple[str, str, int], tuple[Any, Any, Any, Any]] = {}


def observe(method: str, route: str, status: int, seconds: float, db: float, queries: int) -> None:
    method = method if method in METHODS else "other"
    key = (method, route, status)
    children = _children.get(key)
    if children is None:
        children = _children.setdefault(
            key,
            (
                REQUESTS.labels(method, route, str(status)),
                LATENCY.labels(method, route),
                DATABASE_TIME.labels(method, route),
                QUERIES.labels(method),
            ),
        )
    requests, latency, database_time, statements = children
    requests.inc()
    latency.observe(seconds)
    database_time.observe(db)
    if queries:
        statements.inc(queries)


class DatabaseCollector(Collector):
    """The district's operational figures, read from the database at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        status = worker_status()
        yield GaugeMetricFamily(
            "dualtrack_task_queue_depth", "Background tasks due and waiting.", value=status.ready
        )
        yield GaugeMetricFamily(
            "dualtrack_task_oldest_wait_seconds",
            "How long the longest-waiting task has waited (0: none waiting).",
            value=status.oldest_ready_age or 0.0,
        )
        yield GaugeMetricFamily(
            "dualtrack_workers_alive", "Task workers with a fresh heartbeat.", value=status.alive
        )
        if status.newest_beat_age is not None:
            yield GaugeMetricFamily(
                "dualtrack_worker_heartbeat_age_seconds",
                "Seconds since the newest heartbeat of any task worker.",
                value=status.newest_beat_age,
            )
        now = timezone.now()
        yield GaugeMetricFamily(
            "dualtrack_registrations_last_minute",
            "Passages registered at the gates in the last 60 seconds (by their time).",
            value=Passage.objects.filter(
                occurred_at__gt=now - datetime.timedelta(minutes=1), occurred_at__lte=now
            ).count(),
        )
        replica = check_replica()
        if replica is not None and "lag_seconds" in replica.detail:
            yield GaugeMetricFamily(
                "dualtrack_replica_lag_seconds",
                "How far the read replica is behind the primary.",
                value=replica.detail["lag_seconds"],
            )


def exposition() -> bytes:
    """The text of ``/metrics``: the requests of every worker process, then the database's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)  # type: ignore[no-untyped-call]
        requests = generate_latest(processes)
    else:
        requests = generate_latest(REGISTRY)
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector())
    return requests + generate_latest(database)
