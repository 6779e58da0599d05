"""The monthly partitions of the registers (PostgreSQL): ``ensure`` creates the coming months
ahead (schedule it daily; safe to run twice), ``list`` shows them. Retention drops whole months
through each register's own purge (``purge_passages``). On SQLite there is nothing to do."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from dualtrack.core.partitions import (
    DEFAULT_MONTHS_AHEAD,
    ensure_partitions,
    partitioned_tables,
    partitions_of,
)


class Command(BaseCommand):
    help = "Create the registers' monthly partitions ahead (ensure), or list them (list)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["ensure", "list"])
        parser.add_argument(
            "--months",
            type=int,
            default=DEFAULT_MONTHS_AHEAD,
            help=f"ensure: months after this one (default {DEFAULT_MONTHS_AHEAD}).",
        )
        parser.add_argument("--table", action="append", help="Only this table (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("partitions: single tables on this database, nothing to do")
            return
        if options["action"] == "list":
            with connection.cursor() as cursor:
                for item in partitioned_tables(cursor, options["table"]):
                    names = partitions_of(cursor, item.table)
                    self.stdout.write(f"{item.table} by {item.column}: {', '.join(names)}")
            return
        months = options["months"]
        if not 0 <= months <= 120:
            raise CommandError("--months must be between 0 and 120.")

        def progress(name: str, created: bool) -> None:
            self.stdout.write(f"  {name}: {'created' if created else 'exists'}")

        created = ensure_partitions(months_ahead=months, tables=options["table"], progress=progress)
        self.stdout.write(f"partitions: {len(created)} created, {months} months ahead")
