from __future__ import annotations

from django.urls import URLPattern, path

from dualtrack.health.views import alerts, quarantine
from dualtrack.health.views.cases import contacts as case_contacts
from dualtrack.health.views.cases import line_list as case_pages

urlpatterns: list[URLPattern] = [
    # screening
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
