"""What the operations app keeps: the task workers' heartbeats."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """A live task worker (``manage.py run_worker``), beating every few seconds.

    django-tasks' database backend records which worker claimed a task, never that a worker is
    alive and polling; this row is that record. A worker that stops cleanly deletes its row; one
    that dies leaves it to grow stale, which ``/healthz`` and the metrics report.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"
