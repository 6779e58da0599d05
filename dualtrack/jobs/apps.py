from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "dualtrack.jobs"
    label = "jobs"
    verbose_name = _("Employment services")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.jobs.audit_scopes import AUDIT_SCOPES
        from dualtrack.jobs.figures import board_figures
        from dualtrack.jobs.panels import PANELS

        platform.register(
            platform.AppContribution(
                label=self.label,
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                panels=PANELS,
            )
        )
