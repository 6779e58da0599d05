"""Health's Django admin (core.scoped_admin.ScopedModelAdmin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.health.access.alerts import health_alerts_handled_q
from dualtrack.health.access.cases import cases_visible_q, contacts_visible_q
from dualtrack.health.access.quarantine import orders_q, sites_q
from dualtrack.health.models import (
    Case,
    Contact,
    ContactSearch,
    HealthAlert,
    QuarantineOrder,
    QuarantineSite,
)


@admin.register(HealthAlert)
class HealthAlertAdmin(ScopedModelAdmin):
    """Read-only; whom an alert is about is for those who may handle it, so those are the rows
    (``access.alerts.health_alerts_handled_q``). Handling goes through the alert's page."""

    list_display = ("kind", "area", "name", "raised_at", "handled_at", "outcome")
    list_filter = ("kind", "outcome", "proposed")
    list_select_related = ("area",)
    show_full_result_count = False

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(health_alerts_handled_q(user))


# --- quarantine: read-only, scoped like the pages; written only through the services ----------


@admin.register(QuarantineSite)
class QuarantineSiteAdmin(ScopedModelAdmin):
    list_display = ("name", "area", "capacity", "occupied", "is_open")
    list_filter = ("is_open",)
    search_fields = ("name",)
    list_select_related = ("area",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(sites_q(user))


@admin.register(QuarantineOrder)
class QuarantineOrderAdmin(ScopedModelAdmin):
    list_display = ("name", "area", "kind", "site", "starts_on", "ends_on", "status")
    list_filter = ("status", "kind", "source")
    search_fields = ("name",)
    list_select_related = ("area", "site")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(orders_q(user))


# --- cases: read-only lists for support staff; written only through the services (history,
# audit); numbers never shown here.


@admin.register(Case)
class CaseAdmin(ScopedModelAdmin):
    list_display = ("number", "name", "classification", "area", "report_date", "origin")
    list_filter = ("classification", "origin")
    search_fields = ("number", "name")
    list_select_related = ("area",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(cases_visible_q(user))


@admin.register(ContactSearch)
class ContactSearchAdmin(ScopedModelAdmin):
    list_display = ("case", "run_by", "run_at", "reason", "case_passages", "found")
    list_select_related = ("case", "run_by")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(case__in=Case.objects.filter(cases_visible_q(user)))


@admin.register(Contact)
class ContactAdmin(ScopedModelAdmin):
    list_display = ("name", "case", "area", "score", "coincidences", "status")
    list_filter = ("status",)
    list_select_related = ("case", "area")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(contacts_visible_q(user))
