from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "dualtrack.command"
    label = "command"
    verbose_name = _("Command")

    def ready(self) -> None:
        from dualtrack.command import jobs
        from dualtrack.command.audit_scopes import AUDIT_SCOPES
        from dualtrack.command.figures import board_figures
        from dualtrack.command.inbox import briefings_inbox, directives_inbox, directives_waiting
        from dualtrack.command.panels import PANELS
        from dualtrack.command.services.snapshots import FREEZE_JOB
        from dualtrack.core import platform

        platform.register(
            platform.AppContribution(
                label=self.label,
                waiting=(directives_waiting,),
                inbox=(directives_inbox, briefings_inbox),
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={FREEZE_JOB: jobs.freeze_job},
                panels=PANELS,
            )
        )
