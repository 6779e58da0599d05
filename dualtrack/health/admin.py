"""Health's Django admin (core.scoped_admin.ScopedModelAdmin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.health.access.cases import cases_visible_q, contacts_visible_q
from dualtrack.health.models import Case, Contact, ContactSearch

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
