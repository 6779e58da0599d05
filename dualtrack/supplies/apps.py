from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from dualtrack.core.models import User
    from dualtrack.core.platform import Figure


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """The holders in the user's sight with an item below the low-stock line. Days of cover are
    known only for now, so the figure is today's alone."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext

    from dualtrack.areas.scoping import scope_for
    from dualtrack.core.platform import Figure
    from dualtrack.supplies.figures import low_stock_for

    if day != timezone.localdate() or not scope_for(user).codes():
        return []
    holders = {cover.holder_id for cover in low_stock_for(user=user)}
    return [
        Figure(
            key="supplies.low_stock_holders",
            label=gettext("Holders low on stock"),
            value=len(holders),
            link=reverse("supplies_index"),
        )
    ]


class SuppliesConfig(AppConfig):
    name = "dualtrack.supplies"
    label = "supplies"
    verbose_name = _("Supplies")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.supplies import jobs
        from dualtrack.supplies.audit_scopes import AUDIT_SCOPES
        from dualtrack.supplies.services import imports
        from dualtrack.supplies.services.exports import LEDGER_EXPORT_JOB

        platform.register(
            platform.AppContribution(
                label=self.label,
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={
                    imports.OPENING_STOCK_IMPORT_JOB: jobs.opening_stock_import_job,
                    LEDGER_EXPORT_JOB: jobs.ledger_export_job,
                },
            )
        )
