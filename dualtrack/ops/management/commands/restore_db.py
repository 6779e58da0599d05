"""Restore a backup made by ``backup_db`` into an empty database, then bring its schema up to
this code's migrations. A database that holds anything is refused unless --force is given."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from dualtrack.ops.backup import postgres, sqlite
from dualtrack.ops.backup.common import (
    KEY_REMINDER,
    check_keys,
    compare_migrations,
    describe,
    refuse_newer_backup,
    refuse_unless_empty,
)


class Command(BaseCommand):
    help = "Restore PATH (made by backup_db) into an empty database, then migrate it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file to restore.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace everything in a database that is not empty.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        alias = options["database"]
        connection = connections[alias]
        say = self.stdout.write
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if connection.vendor not in {"postgresql", "sqlite"}:
            raise CommandError(f"No restore for the {connection.vendor} database engine.")
        started = time.monotonic()
        say(f"Restoring {path} into the {describe(connection)}")
        # Everything that can refuse is checked before anything is written.
        if connection.vendor == "postgresql":
            applied = postgres.applied_migrations(connection, path)
        else:
            applied = sqlite.applied_migrations(path)
        state = compare_migrations(applied)
        refuse_newer_backup(state)
        contents = refuse_unless_empty(connection, force=options["force"], say=say)
        if connection.vendor == "postgresql":
            if not contents.empty:
                postgres.drop_everything(connection)
            postgres.restore(connection, path, say)
        else:
            sqlite.restore(connection, path, say)
        connection.close()
        if state.pending:
            more = " …" if len(state.pending) > 5 else ""
            say(
                f"The backup is older than this code: applying {len(state.pending)} "
                f"migrations ({', '.join(state.pending[:5])}{more})."
            )
            call_command(
                "migrate", database=alias, interactive=False, verbosity=1, stdout=self.stdout
            )
        say(f"restore_db: {path} restored in {time.monotonic() - started:,.1f} s.")
        say(KEY_REMINDER)
        problem = check_keys(connection)
        if problem:
            raise CommandError(problem)
