from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PredictionConfig(AppConfig):
    name = "dualtrack.prediction"
    label = "prediction"
    verbose_name = _("Early warning")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.prediction import jobs
        from dualtrack.prediction.audit_scopes import AUDIT_SCOPES
        from dualtrack.prediction.inbox import signals_inbox
        from dualtrack.prediction.panels import PANELS
        from dualtrack.prediction.services.recompute import RECOMPUTE_JOB

        platform.register(
            platform.AppContribution(
                label=self.label,
                inbox=(signals_inbox,),
                audit_scopes=AUDIT_SCOPES,
                jobs={RECOMPUTE_JOB: jobs.recompute_job},
                panels=PANELS,
            )
        )
