from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "dualtrack.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises and resumption")

    def ready(self) -> None:
        from dualtrack.core import platform
        from dualtrack.enterprises import jobs
        from dualtrack.enterprises.access import is_enterprise_login
        from dualtrack.enterprises.audit_scopes import AUDIT_SCOPES
        from dualtrack.enterprises.checks import CHECKS
        from dualtrack.enterprises.figures import board_figures
        from dualtrack.enterprises.panels import PANELS
        from dualtrack.enterprises.selectors import portal_home_for
        from dualtrack.enterprises.services import imports, roster

        platform.register(
            platform.AppContribution(
                label=self.label,
                checks=CHECKS,
                home=portal_home_for,
                outside_account=is_enterprise_login,
                audit_scopes=AUDIT_SCOPES,
                figures=board_figures,
                jobs={
                    imports.ENTERPRISES_IMPORT_JOB: jobs.enterprises_import_job,
                    imports.ENTERPRISES_EXPORT_JOB: jobs.enterprises_export_job,
                    roster.ROSTER_IMPORT_JOB: jobs.roster_import_job,
                    roster.ROSTER_EXPORT_JOB: jobs.roster_export_job,
                },
                panels=PANELS,
            )
        )
