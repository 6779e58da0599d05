"""The task workers' heartbeat.

django-tasks' database backend records which worker claimed a task (``DBTaskResult.worker_ids``)
but nothing about a worker that is alive and waiting, so an idle worker and a dead one look the
same. ``manage.py run_worker`` (``db_worker`` with this beside it) writes a ``WorkerHeartbeat``
row every ``WORKER_HEARTBEAT_SECONDS`` from a thread of its own, deletes it when it stops
cleanly, and ``/healthz`` and ``/metrics`` read the newest beat. The beat proves the process
alive; that it gets through its work shows in the age of the oldest task still waiting.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dualtrack.ops.models import WorkerHeartbeat

logger = logging.getLogger("dualtrack.ops")

FORGET_AFTER = datetime.timedelta(days=1)  # rows of workers that died, deleted by the living


def beat(worker_id: str, *, started_at: datetime.datetime) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=started_at,
            beat_at=now,
        )
        WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()


def forget(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


class Heartbeat:
    """A daemon thread beating for ``worker_id`` until ``stop()``."""

    def __init__(self, worker_id: str, *, every: float | None = None) -> None:
        self.worker_id = worker_id
        self.every = every if every is not None else settings.WORKER_HEARTBEAT_SECONDS
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> None:
        """The first beat in the caller's thread, before the worker takes a task (so a worker
        that starts is seen at once, and a database it cannot write to is said at once); the
        next ones from the thread."""
        self._beat()
        self._thread.start()

    def _beat(self) -> None:
        try:
            beat(self.worker_id, started_at=self.started_at)
        except DatabaseError:
            logger.warning("worker heartbeat not recorded", exc_info=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                close_old_connections()  # this thread's own connection, as a request would
                self._beat()
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            forget(self.worker_id)
        except DatabaseError:
            logger.warning("worker heartbeat not removed", exc_info=True)


@dataclass(frozen=True)
class WorkerStatus:
    alive: int  # workers that beat within WORKER_HEARTBEAT_STALE_SECONDS
    newest_beat_age: float | None  # seconds since the last beat of any worker; None: never
    ready: int  # tasks due and waiting for a worker
    oldest_ready_age: float | None  # seconds the longest-waiting task has waited


def worker_status() -> WorkerStatus:
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    beats = WorkerHeartbeat.objects.aggregate(
        newest=Max("beat_at"), alive=Count("pk", filter=Q(beat_at__gte=stale))
    )
    # Tasks due now, read through the queue's own partial index on READY.
    tasks = DBTaskResult.objects.ready().aggregate(ready=Count("pk"), oldest=Min("enqueued_at"))
    newest, oldest = beats["newest"], tasks["oldest"]
    return WorkerStatus(
        alive=beats["alive"],
        newest_beat_age=None if newest is None else (now - newest).total_seconds(),
        ready=tasks["ready"],
        oldest_ready_age=None if oldest is None else max((now - oldest).total_seconds(), 0.0),
    )
