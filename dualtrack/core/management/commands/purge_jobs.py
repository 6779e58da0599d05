"""Delete background jobs older than the retention period, with the files they made (schedule it
daily; safe to run twice). An export of the register holds unmasked ID numbers: it should not
outlive its use."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dualtrack.core.jobs import JOB_RETENTION_DAYS, jobs_purge


class Command(BaseCommand):
    help = f"Delete jobs created more than --days ago (default {JOB_RETENTION_DAYS})."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=JOB_RETENTION_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 1:
            raise CommandError("--days must be at least 1.")
        deleted = jobs_purge(older_than_days=days)
        self.stdout.write(f"purge_jobs: {deleted} jobs older than {days} days deleted")
