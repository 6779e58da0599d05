"""Health's Django admin (core.scoped_admin.ScopedModelAdmin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.health.access.quarantine import orders_q, sites_q
from dualtrack.health.models import QuarantineOrder, QuarantineSite

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
