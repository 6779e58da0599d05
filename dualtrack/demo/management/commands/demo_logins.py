"""``manage.py demo_logins``: print the demo district's persona logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from dualtrack.demo.logins import demo_logins, format_logins

SEED_HOW = "run `manage.py seed_demo` (or `make seed`) to seed the demo district"


def _unmigrated(database: str) -> bool:
    """Whether the database still lacks migrations: its tables are missing or out of date."""
    executor = MigrationExecutor(connections[database])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = "Print one login per persona of the demo district (username, role, scope, password)."
    # It reads one table: the system checks (which load every URL and the API's models, seconds
    # of a start) are for commands that serve or change something.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        if _unmigrated(DEFAULT_DB_ALIAS):
            raise CommandError(
                "The database is empty (it has not been migrated): run `manage.py migrate`, "
                f"then {SEED_HOW}."
            )
        logins = demo_logins()
        if not logins:
            self.stdout.write(f"The database has no demo district yet: {SEED_HOW}.")
            return
        self.stdout.write("Demo logins:\n" + format_logins(logins))
