"""``manage.py demo_logins``: print the demo district's persona logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dualtrack.demo.district import demo_logins, format_logins


class Command(BaseCommand):
    help = "Print one login per persona of the demo district (username, role, scope, password)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write("No demo logins in this database: run `manage.py seed_demo` first.")
            return
        self.stdout.write("Demo logins:\n" + format_logins(logins))
