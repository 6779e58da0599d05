from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from dualtrack.core.models import User
    from dualtrack.core.platform import Figure


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """The enterprises resumed and the workers on duty in the user's towns: today's, or a past
    day's from its 24:00 snapshot (none for a day without one)."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext

    from dualtrack.areas.scoping import scope_for
    from dualtrack.core.platform import Figure
    from dualtrack.enterprises.figures import figures_for

    if not scope_for(user).codes():
        return []
    figures = figures_for(user=user)
    if day == timezone.localdate():
        resumed, on_duty = figures.total.resumed, figures.total.workers_on_duty
    else:
        row = next((r for r in figures.series if r["date"] == day.isoformat()), None)
        if row is None:
            return []
        resumed, on_duty = row["resumed"], row["workers_on_duty"]
    link = reverse("enterprise_figures")
    return [
        Figure(
            key="enterprises.resumed",
            label=gettext("Enterprises resumed"),
            value=resumed,
            link=link,
        ),
        Figure(
            key="enterprises.workers_on_duty",
            label=gettext("Workers on duty"),
            value=on_duty,
            link=link,
        ),
    ]


class EnterprisesConfig(AppConfig):
    name = "dualtrack.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises and resumption")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.enterprises import jobs
        from dualtrack.enterprises.audit_scopes import AUDIT_SCOPES
        from dualtrack.enterprises.selectors import portal_home_for
        from dualtrack.enterprises.services import imports, roster

        platform.register(
            platform.AppContribution(
                label=self.label,
                home=portal_home_for,
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={
                    imports.ENTERPRISES_IMPORT_JOB: jobs.enterprises_import_job,
                    imports.ENTERPRISES_EXPORT_JOB: jobs.enterprises_export_job,
                    roster.ROSTER_IMPORT_JOB: jobs.roster_import_job,
                    roster.ROSTER_EXPORT_JOB: jobs.roster_export_job,
                },
            )
        )
