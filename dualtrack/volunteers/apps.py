from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "dualtrack.volunteers"
    label = "volunteers"
    verbose_name = _("Front line")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.volunteers import excel
        from dualtrack.volunteers.audit_scopes import AUDIT_SCOPES
        from dualtrack.volunteers.figures import board_figures
        from dualtrack.volunteers.panels import PANELS

        platform.register(
            platform.AppContribution(
                label=self.label,
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={excel.ROSTER_EXPORT_JOB: excel.roster_export_job},
                panels=PANELS,
            )
        )
