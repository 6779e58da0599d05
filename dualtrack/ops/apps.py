from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "dualtrack.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from dualtrack.ops import checks  # noqa: F401  (registers the system checks)
