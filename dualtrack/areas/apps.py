from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "dualtrack.areas"
    label = "areas"
    verbose_name = _("District, people and organisation")

    def ready(self) -> None:
        from dualtrack.areas import audit_scopes  # noqa: F401  (registers audit visibility)
