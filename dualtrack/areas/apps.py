from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "dualtrack.areas"
    label = "areas"
    verbose_name = _("District, people and organisation")

    def ready(self) -> None:
        from dualtrack.areas import jobs
        from dualtrack.areas.audit_scopes import AUDIT_SCOPES
        from dualtrack.areas.selectors import own_role_grants
        from dualtrack.areas.services.imports import RESIDENTS_IMPORT_JOB
        from dualtrack.core import platform

        platform.register(
            platform.AppContribution(
                label=self.label,
                audit_scopes=AUDIT_SCOPES,
                account_grants=own_role_grants,
                jobs={RESIDENTS_IMPORT_JOB: jobs.residents_import_job},
            )
        )
