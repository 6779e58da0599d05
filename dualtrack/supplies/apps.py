from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    name = "dualtrack.supplies"
    label = "supplies"
    verbose_name = _("Supplies")

    def ready(self) -> None:
        from dualtrack.supplies import audit_scopes  # noqa: F401  (registers audit visibility)
