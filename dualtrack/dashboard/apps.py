from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The wall screen (指挥大屏): read-only, above every other app, which it reads only
    through the panels they register (core.platform); it registers nothing itself."""

    name = "dualtrack.dashboard"
    label = "dashboard"
    verbose_name = _("Wall screen")
