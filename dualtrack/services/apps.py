from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "dualtrack.services"
    label = "services"
    verbose_name = _("Government services")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.services.audit_scopes import AUDIT_SCOPES
        from dualtrack.services.figures import board_figures
        from dualtrack.services.services.exports import REQUESTS_EXPORT

        platform.register(
            platform.AppContribution(
                label=self.label,
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={REQUESTS_EXPORT.kind: REQUESTS_EXPORT.run},
            )
        )
