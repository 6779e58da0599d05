from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckpointsConfig(AppConfig):
    name = "dualtrack.checkpoints"
    label = "checkpoints"
    verbose_name = _("Checkpoints")

    def ready(self) -> None:
        from dualtrack.checkpoints.waiting import open_alerts_waiting
        from dualtrack.core.homes import register_waiting

        register_waiting(open_alerts_waiting)
