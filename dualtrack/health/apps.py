from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "dualtrack.health"
    label = "health"
    verbose_name = _("Health")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.health import jobs
        from dualtrack.health.audit_scopes import AUDIT_SCOPES
        from dualtrack.health.figures import board_figures
        from dualtrack.health.services.screening_import import RESULTS_IMPORT_JOB

        platform.register(
            platform.AppContribution(
                label=self.label,
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={RESULTS_IMPORT_JOB: jobs.screening_results_import_job},
            )
        )
