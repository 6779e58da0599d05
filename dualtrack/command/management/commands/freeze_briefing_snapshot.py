"""Freeze the 24:00 snapshot of a day (yesterday by default): run from cron just after midnight.
Safe to run again: the day is frozen again in place."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dualtrack.command.services.snapshots import snapshot_freeze
from dualtrack.core.errors import DomainError
from dualtrack.core.jobs import TerminalProgress


class Command(BaseCommand):
    help = "Freeze a day's figures for the daily briefing (default: yesterday)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["day"] or timezone.localdate() - datetime.timedelta(days=1)
        try:
            snapshot = snapshot_freeze(
                actor=None, day=day, progress=TerminalProgress(self.stdout.write)
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"frozen {snapshot.day.isoformat()}: {snapshot.timings}")
