"""Health's Django admin (core.scoped_admin.ScopedModelAdmin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from dualtrack.areas.scoping import scope_for
from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.health.access.alerts import health_alerts_handled_q
from dualtrack.health.access.cases import cases_visible_q, contacts_visible_q
from dualtrack.health.access.quarantine import orders_q, sites_q
from dualtrack.health.access.screening import campaigns_visible
from dualtrack.health.models import (
    Campaign,
    Case,
    Contact,
    ContactSearch,
    CoverageCounter,
    HealthAlert,
    HouseholdVisit,
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


# --- screening: read-only, the campaigns the user sees and, of them, the visits and coverage of
# the user's own areas (as the pages show them); written only through the services.


@admin.register(Campaign)
class CampaignAdmin(ScopedModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "closed_at", "created_by")
    search_fields = ("name",)
    list_select_related = ("created_by",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=campaigns_visible(user).values("pk"))


class _CampaignAreaRows(ScopedModelAdmin):
    """Rows of a campaign the user sees, in an area of the user's scope."""

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = queryset.filter(campaign__in=campaigns_visible(user).values("pk"))
        return scope_for(user).filter_by_area(queryset)


@admin.register(HouseholdVisit)
class HouseholdVisitAdmin(_CampaignAreaRows):
    list_display = ("campaign", "household", "area", "outcome", "visited_at", "recorded_by")
    list_filter = ("outcome",)
    list_select_related = ("campaign", "household", "area", "recorded_by")
    show_full_result_count = False


@admin.register(CoverageCounter)
class CoverageCounterAdmin(_CampaignAreaRows):
    list_display = (
        "campaign",
        "area",
        "households_visited",
        "households_total",
        "residents_covered",
        "residents_total",
    )
    list_select_related = ("campaign", "area")
