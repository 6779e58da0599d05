from __future__ import annotations

from django.urls import URLPattern

from dualtrack.health.views import alerts, quarantine

urlpatterns: list[URLPattern] = [
    # screening
    # quarantine
    *quarantine.urlpatterns,
    # cases
    # alerts
    *alerts.urlpatterns,
]
