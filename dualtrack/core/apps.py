from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dualtrack.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from dualtrack.core import checks  # noqa: F401  (registers the system checks)

        # Every app's background work registers its handlers in the app's ``jobs`` module.
        autodiscover_modules("jobs")
