"""``manage.py run_worker``: django-tasks' ``db_worker``, with a heartbeat that ``/healthz`` and
``/metrics`` read (its options are db_worker's)."""

from __future__ import annotations

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from dualtrack.ops.heartbeat import Heartbeat


class Command(DbWorkerCommand):
    help = "Run the background task worker (db_worker) with a heartbeat for /healthz."

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The reloader's parent only watches the files: the child it starts beats.
            super().handle(*args, **options)
            return
        heartbeat = Heartbeat(options["worker_id"])
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:  # a clean stop (SIGTERM, SIGINT, --batch) leaves no heartbeat behind
            heartbeat.stop()
