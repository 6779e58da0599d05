from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    name = "dualtrack.supplies"
    label = "supplies"
    verbose_name = _("Supplies")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.supplies import jobs
        from dualtrack.supplies.audit_scopes import AUDIT_SCOPES
        from dualtrack.supplies.checks import CHECKS
        from dualtrack.supplies.figures import board_figures
        from dualtrack.supplies.panels import PANELS
        from dualtrack.supplies.services import imports
        from dualtrack.supplies.services.exports import LEDGER_EXPORT_JOB

        platform.register(
            platform.AppContribution(
                label=self.label,
                checks=CHECKS,
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={
                    imports.OPENING_STOCK_IMPORT_JOB: jobs.opening_stock_import_job,
                    LEDGER_EXPORT_JOB: jobs.ledger_export_job,
                },
                panels=PANELS,
            )
        )
