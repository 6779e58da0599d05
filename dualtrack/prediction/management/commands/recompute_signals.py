"""Recompute the early warning after the 24:00 snapshot, with the progress on the terminal.

``manage.py recompute_signals`` rewrites the newest ``PREDICTION_DAILY_DAYS`` days up to
yesterday (a full year the first time); ``--full`` the whole ``PREDICTION_HISTORY_DAYS``;
``--end``/``--start``/``--from`` name the days. Safe to run twice: a second run rewrites the
same days with the same results and opens no signal twice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dualtrack.core.errors import DomainError
from dualtrack.core.jobs import TerminalProgress
from dualtrack.prediction import conf
from dualtrack.prediction.services.recompute import recompute, recompute_daily


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "Recompute the early warning's series, scores, Rt, projection and signals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--end", type=_date, help="The last day (default: yesterday).")
        parser.add_argument("--start", type=_date, help="The first day of the history.")
        parser.add_argument("--from", dest="from_day", type=_date, help="The first day rewritten.")
        parser.add_argument("--full", action="store_true", help="Rewrite the whole history.")

    def handle(self, *args: Any, **options: Any) -> None:
        end = options["end"] or timezone.localdate() - datetime.timedelta(days=1)
        progress = TerminalProgress(self.stdout.write)
        try:
            if options["full"] or options["start"] or options["from_day"]:
                start = options["start"] or end - datetime.timedelta(days=conf.history_days() - 1)
                run = recompute(
                    actor=None,
                    end=end,
                    start=start,
                    from_day=start if options["full"] else options["from_day"],
                    progress=progress,
                )
            else:
                run = recompute_daily(actor=None, end=end, progress=progress)
        except DomainError as exc:
            details = "; ".join(str(error["message"]) for error in exc.errors)
            raise CommandError(details or str(exc.message)) from exc
        self.stdout.write(
            f"Recomputed {run.start}…{run.end} from {run.from_day}: "
            f"{run.signals_opened} signals opened."
        )
