from __future__ import annotations

from django.urls import URLPattern, path

from dualtrack.health.views.screening import campaigns as screening_campaigns
from dualtrack.health.views.screening import phone as screening_phone

urlpatterns: list[URLPattern] = [
    # screening
    path(
        "health/screening/",
        screening_campaigns.campaign_list,
        name="health_screening_campaigns",
    ),
    path(
        "health/screening/sw.js",
        screening_phone.service_worker,
        name="health_screening_service_worker",
    ),
    path(
        "health/screening/<int:pk>/",
        screening_campaigns.campaign_detail,
        name="health_screening_campaign",
    ),
    path(
        "health/screening/<int:pk>/close/",
        screening_campaigns.campaign_close,
        name="health_screening_close",
    ),
    path(
        "health/screening/<int:pk>/unvisited/",
        screening_campaigns.households_unvisited,
        name="health_screening_unvisited",
    ),
    path(
        "health/screening/<int:pk>/uncovered/",
        screening_campaigns.residents_uncovered,
        name="health_screening_uncovered",
    ),
    path(
        "health/screening/<int:pk>/households/<int:household_id>/",
        screening_campaigns.household_visits,
        name="health_screening_household",
    ),
    path(
        "health/screening/<int:pk>/screen/",
        screening_phone.screen,
        name="health_screening_screen",
    ),
    path(
        "health/screening/<int:pk>/import/",
        screening_campaigns.results_import,
        name="health_screening_import",
    ),
    path(
        "health/screening/<int:pk>/template.xlsx",
        screening_campaigns.results_template,
        name="health_screening_template",
    ),
    # quarantine
    # cases
]
