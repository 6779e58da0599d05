"""Take a consistent backup of the database: ``pg_dump`` (custom format) on PostgreSQL, SQLite's
online backup API on the embedded database. The servers may keep writing while it runs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from dualtrack.ops.backup import postgres, sqlite
from dualtrack.ops.backup.common import KEY_REMINDER, describe


class Command(BaseCommand):
    help = "Write a consistent backup of the database to PATH (a new file). Keys are not in it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file to write (must not exist).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        connection = connections[options["database"]]
        if path.exists():
            raise CommandError(f"{path} exists: a backup never overwrites a file; name a new one.")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a directory.")
        started = time.monotonic()
        self.stdout.write(f"Backing up the {describe(connection)} to {path}")
        if connection.vendor == "postgresql":
            size = postgres.backup(connection, path, self.stdout.write)
        elif connection.vendor == "sqlite":
            size = sqlite.backup(connection, path, self.stdout.write)
        else:
            raise CommandError(f"No backup for the {connection.vendor} database engine.")
        self.stdout.write(
            f"backup_db: {path} written, {size / 2**20:,.1f} MiB in "
            f"{time.monotonic() - started:,.1f} s. Uploaded files (MEDIA_ROOT) are not in it."
        )
        self.stdout.write(KEY_REMINDER)
