from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from dualtrack.core.models import User
    from dualtrack.core.platform import Figure


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """The day's passages, fevers and alerts open at its end, at the gates the user sees."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from dualtrack.areas.scoping import scope_for
    from dualtrack.checkpoints.figures import figures_for
    from dualtrack.core.platform import Figure

    if not scope_for(user).codes():
        return []
    figures = figures_for(user=user, day=day)
    link = reverse("checkpoint_figures")
    return [
        Figure(
            key="checkpoints.passages",
            label=gettext("Passages"),
            value=figures.people_in + figures.people_out,
            link=link,
        ),
        Figure(key="checkpoints.fevers", label=gettext("Fevers"), value=figures.fevers, link=link),
        Figure(
            key="checkpoints.alerts_open",
            label=gettext("Open alerts"),
            value=figures.alerts_open,
            link=reverse("alert_list"),
        ),
    ]


class CheckpointsConfig(AppConfig):
    name = "dualtrack.checkpoints"
    label = "checkpoints"
    verbose_name = _("Checkpoints")

    def ready(self) -> None:
        from dualtrack.checkpoints import jobs
        from dualtrack.checkpoints.audit_scopes import AUDIT_SCOPES
        from dualtrack.checkpoints.services.exports import REGISTER_EXPORT_JOB
        from dualtrack.checkpoints.waiting import open_alerts_waiting
        from dualtrack.core import platform

        platform.register(
            platform.AppContribution(
                label=self.label,
                waiting=(open_alerts_waiting,),
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={REGISTER_EXPORT_JOB: jobs.register_export_job},
            )
        )
