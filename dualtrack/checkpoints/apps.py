from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckpointsConfig(AppConfig):
    name = "dualtrack.checkpoints"
    label = "checkpoints"
    verbose_name = _("Checkpoints")

    def ready(self) -> None:
        from dualtrack.checkpoints import jobs
        from dualtrack.checkpoints.audit_scopes import AUDIT_SCOPES
        from dualtrack.checkpoints.checks import CHECKS
        from dualtrack.checkpoints.figures import board_figures
        from dualtrack.checkpoints.inbox import open_alerts_inbox
        from dualtrack.checkpoints.panels import PANELS
        from dualtrack.checkpoints.series import SERIES
        from dualtrack.checkpoints.services.exports import REGISTER_EXPORT_JOB
        from dualtrack.checkpoints.waiting import open_alerts_waiting
        from dualtrack.core import platform

        platform.register(
            platform.AppContribution(
                label=self.label,
                checks=CHECKS,
                waiting=(open_alerts_waiting,),
                inbox=(open_alerts_inbox,),
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={REGISTER_EXPORT_JOB: jobs.register_export_job},
                series=SERIES,
                panels=PANELS,
            )
        )
