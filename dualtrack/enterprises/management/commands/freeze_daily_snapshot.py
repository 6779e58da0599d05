"""Freeze the district's resumption figures of a day (yesterday by default) at its 24:00.

Safe from a scheduler: running it twice for one day leaves the same rows. Schedule it shortly
after midnight, e.g. cron ``5 0 * * * manage.py freeze_daily_snapshot``. It also builds today's
working copy of the figures, which the day's writes then keep current.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dualtrack.enterprises.services.reports import snapshot_freeze


class Command(BaseCommand):
    help = "Freeze the district's resumption figures of a day (default: yesterday)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day to freeze, YYYY-MM-DD (default: yesterday).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("Give the date as YYYY-MM-DD.") from exc
        else:
            day = today - datetime.timedelta(days=1)
        if day >= today:
            raise CommandError("Only a day that has ended (before today) can be frozen.")
        cells = snapshot_freeze(date=day)
        # Today's working copy, which the writes of the day keep current from here on.
        current = snapshot_freeze(date=today)
        self.stdout.write(
            f"Froze {cells} snapshot rows for {day.isoformat()}; "
            f"today's working copy has {current} rows."
        )
