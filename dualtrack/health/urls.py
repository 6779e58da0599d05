from __future__ import annotations

from django.urls import URLPattern

from dualtrack.health.views import alerts

urlpatterns: list[URLPattern] = [
    # screening
    # quarantine
    # cases
    # alerts
    *alerts.urlpatterns,
]
