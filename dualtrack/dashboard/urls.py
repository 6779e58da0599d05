from __future__ import annotations

from django.urls import path

from dualtrack.dashboard.views import wall

urlpatterns = [
    path("dashboard/", wall.wall, name="dashboard"),
    path("dashboard/<int:area_id>/", wall.wall_board, name="dashboard_board"),
]
