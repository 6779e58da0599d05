"""Delete passages older than the retention period (schedule it daily; safe to run twice)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dualtrack.checkpoints.services.retention import passages_purge


class Command(BaseCommand):
    help = "Delete passages older than --days (default PASSAGE_RETENTION_DAYS); figures stay."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep this many days (default {settings.PASSAGE_RETENTION_DAYS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        deleted = passages_purge(older_than_days=days)
        kept = settings.PASSAGE_RETENTION_DAYS if days is None else days
        self.stdout.write(f"purge_passages: {deleted} passages older than {kept} days deleted")
