from __future__ import annotations

from django.urls import URLPattern, path

from dualtrack.health.views import alerts, quarantine
from dualtrack.health.views.cases import contacts as case_contacts
from dualtrack.health.views.cases import line_list as case_pages
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
    *quarantine.urlpatterns,
    # cases
    path("health/cases/", case_pages.case_list, name="health_case_list"),
    path("health/cases/new/", case_pages.case_new, name="health_case_new"),
    path("health/cases/export/", case_pages.case_export, name="health_case_export"),
    path("health/cases/<int:pk>/", case_pages.case_detail, name="health_case"),
    path("health/cases/<int:pk>/edit/", case_pages.case_edit, name="health_case_edit"),
    path("health/cases/<int:pk>/reveal/", case_pages.case_reveal, name="health_case_reveal"),
    path(
        "health/cases/<int:pk>/classification/",
        case_pages.case_reclassify,
        name="health_case_reclassify",
    ),
    path("health/cases/<int:pk>/searches/", case_contacts.search_run, name="health_case_search"),
    path("health/cases/contacts/", case_contacts.contact_worklist, name="health_contact_worklist"),
    path(
        "health/cases/contacts/<int:pk>/status/",
        case_contacts.contact_status,
        name="health_contact_status",
    ),
    path(
        "health/cases/contacts/<int:pk>/quarantine/",
        case_contacts.contact_quarantine,
        name="health_contact_quarantine",
    ),
    # alerts
    *alerts.urlpatterns,
]
