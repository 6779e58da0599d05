from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "dualtrack.health"
    label = "health"
    verbose_name = _("Health")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.health import jobs, quarantine_platform
        from dualtrack.health.alerts_inbox import health_alerts_inbox, health_alerts_waiting
        from dualtrack.health.audit_scopes import AUDIT_SCOPES
        from dualtrack.health.checks import CHECKS
        from dualtrack.health.figures import board_figures
        from dualtrack.health.panels import PANELS
        from dualtrack.health.series import SERIES
        from dualtrack.health.services.cases import LINE_LIST_EXPORT_JOB
        from dualtrack.health.services.quarantine_exports import ORDERS_EXPORT_JOB
        from dualtrack.health.services.screening_import import (
            RESULTS_IMPORT_JOB,
            RESULTS_TEMPLATE_JOB,
        )

        platform.register(
            platform.AppContribution(
                label=self.label,
                checks=CHECKS,
                waiting=(
                    health_alerts_waiting,
                    quarantine_platform.missed_checks_waiting,
                ),
                inbox=(
                    health_alerts_inbox,
                    quarantine_platform.missed_checks_inbox,
                ),
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                series=SERIES,
                panels=PANELS,
                jobs={
                    RESULTS_IMPORT_JOB: jobs.screening_results_import_job,
                    RESULTS_TEMPLATE_JOB: jobs.screening_results_template_job,
                    ORDERS_EXPORT_JOB: jobs.quarantine_orders_export_job,
                    LINE_LIST_EXPORT_JOB: jobs.line_list_export_job,
                },
            )
        )
