from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "dualtrack.subsidies"
    label = "subsidies"
    verbose_name = _("Subsidy policies")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.subsidies import jobs
        from dualtrack.subsidies.audit_scopes import AUDIT_SCOPES
        from dualtrack.subsidies.figures import board_figures
        from dualtrack.subsidies.panels import PANELS

        platform.register(
            platform.AppContribution(
                label=self.label,
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={jobs.OFFERS_JOB: jobs.offers_job},
                panels=PANELS,
            )
        )
