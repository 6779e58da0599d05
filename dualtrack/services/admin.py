"""Django admin for the government services: read-only lists for support staff, scoped like
the pages (through the app's access rule). The catalogue, requests and appointments are written
through the pages and the API (scope checks, history, audit entries); mobiles appear masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.services import access
from dualtrack.services.models import (
    Booking,
    Counter,
    Department,
    Holiday,
    Matter,
    RequestEvent,
    ServiceRequest,
    Slot,
)


def _departments(user: User) -> QuerySet[Any]:
    return Department.objects.filter(access.departments_in_sight_q(user)).values("pk")


@admin.register(Department)
class DepartmentAdmin(ScopedModelAdmin):
    list_display = ("name", "area")
    list_select_related = ("area",)
    search_fields = ("name",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=_departments(user))


@admin.register(Matter)
class MatterAdmin(ScopedModelAdmin):
    """The catalogue is public: every staff member reads it."""

    list_display = ("name", "department", "time_limit_days", "active")
    list_filter = ("active",)
    list_select_related = ("department",)
    search_fields = ("name",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset


@admin.register(Holiday)
class HolidayAdmin(ScopedModelAdmin):
    """The working-day calendar is public."""

    list_display = ("day", "name", "workday")
    list_filter = ("workday",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset


@admin.register(Counter)
class CounterAdmin(ScopedModelAdmin):
    list_display = ("name", "department", "place")
    list_select_related = ("department",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(department__in=_departments(user))


@admin.register(Slot)
class SlotAdmin(ScopedModelAdmin):
    list_display = ("counter", "day", "starts_at", "ends_at", "capacity", "booked")
    list_select_related = ("counter",)
    date_hierarchy = "day"
    show_full_result_count = False

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(counter__department__in=_departments(user))


@admin.register(Booking)
class BookingAdmin(ScopedModelAdmin):
    list_display = ("slot", "matter", "name", "mobile_masked", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("slot__counter", "matter")
    show_full_result_count = False

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(slot__counter__department__in=_departments(user))

    @admin.display(description=_("mobile"))
    def mobile_masked(self, obj: Booking) -> str:
        return obj.mobile_masked


class RequestEventInline(admin.TabularInline[RequestEvent, ServiceRequest]):
    """A request's history: a record of what happened, never edited."""

    model = RequestEvent
    fields = ("status", "at", "note", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ScopedModelAdmin):
    list_display = (
        "tracking_no",
        "matter",
        "channel",
        "applicant_name",
        "mobile_masked",
        "status",
        "due_on",
        "filed_at",
    )
    list_filter = ("status", "channel")
    list_select_related = ("matter",)
    search_fields = ("=tracking_no",)
    inlines = (RequestEventInline,)
    show_full_result_count = False

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.requests_visible(user).values("pk"))

    @admin.display(description=_("mobile"))
    def mobile_masked(self, obj: ServiceRequest) -> str:
        return obj.mobile_masked
