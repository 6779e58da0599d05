from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("dualtrack.core.urls")),
    path("", include("dualtrack.areas.urls")),
]
