"""Import households and residents from an .xlsx as a user would, from the command line, with
the progress on the terminal: for a district's first registers, too large to upload at once.

``manage.py import_residents residents.xlsx --as admin [--good-rows-only]``
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from dualtrack.areas.services.imports import residents_import
from dualtrack.core.errors import DomainError
from dualtrack.core.jobs import TerminalProgress
from dualtrack.core.models import User


class Command(BaseCommand):
    help = "Import households and residents from an .xlsx sheet as a user, showing progress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx sheet, laid out like the import template.")
        parser.add_argument(
            "--as", dest="username", required=True, help="The user whose scope applies."
        )
        parser.add_argument(
            "--good-rows-only",
            action="store_true",
            help="Import the good rows even if others have problems.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        with translation.override(user.language), path.open("rb") as file:
            try:
                report = residents_import(
                    actor=user,
                    file=file,
                    filename=path.name,
                    good_rows_only=options["good_rows_only"],
                    progress=TerminalProgress(self.stdout.write),
                )
            except DomainError as exc:
                details = "; ".join(str(error["message"]) for error in exc.errors)
                raise CommandError(details or str(exc.message)) from exc
            for error in report.errors:
                self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
        if not report.committed and report.errors:
            bad_rows = len({error.row for error in report.errors})
            raise CommandError(f"Nothing imported: {bad_rows} of {report.total_rows} rows are bad.")
        self.stdout.write(f"{report.imported} of {report.total_rows} rows imported.")
