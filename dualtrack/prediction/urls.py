from __future__ import annotations

from django.urls import URLPattern

from dualtrack.prediction.views import panel, recompute

urlpatterns: list[URLPattern] = [*panel.urlpatterns, *recompute.urlpatterns]
