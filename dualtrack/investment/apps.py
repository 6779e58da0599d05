from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "dualtrack.investment"
    label = "investment"
    verbose_name = _("Investment promotion")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.investment.audit_scopes import AUDIT_SCOPES
        from dualtrack.investment.figures import board_figures
        from dualtrack.investment.services.exports import PIPELINE_EXPORT

        platform.register(
            platform.AppContribution(
                label=self.label,
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={PIPELINE_EXPORT.kind: PIPELINE_EXPORT.run},
            )
        )
