from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("dualtrack.core.urls")),
    path("", include("dualtrack.areas.urls")),
    path("", include("dualtrack.checkpoints.urls")),
    path("", include("dualtrack.enterprises.urls")),
    path("", include("dualtrack.supplies.urls")),
    path("", include("dualtrack.health.urls")),
    path("", include("dualtrack.prediction.urls")),
    path("", include("dualtrack.jobs.urls")),
    path("", include("dualtrack.dashboard.urls")),
    path("", include("dualtrack.command.urls")),
    path("", include("dualtrack.services.urls")),
    path("", include("dualtrack.investment.urls")),
    path("", include("dualtrack.volunteers.urls")),
    path("", include("dualtrack.subsidies.urls")),
    path("", include("dualtrack.ops.urls")),
]
