from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "dualtrack.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises and resumption")

    def ready(self) -> None:
        from dualtrack.core.homes import register_home
        from dualtrack.enterprises.selectors import portal_home_for

        register_home(portal_home_for)
