"""Django admin for the enterprises: read-only lists for support staff, scoped like the pages
(the enterprises of the user's towns, through the app's selectors). Writes go through the pages
and the API (services: scope checks, audit); phones and ID numbers appear only masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.enterprises.models import (
    DailyReport,
    Employee,
    Enterprise,
    EnterpriseSignup,
    Inspection,
    ResumptionFiling,
)
from dualtrack.enterprises.selectors import enterprise_list_for, signup_list_for


class EnterpriseRowsAdmin(ScopedModelAdmin):
    """Rows of the enterprises the user sees (``enterprise_field`` leads to the enterprise)."""

    enterprise_field = "enterprise"

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        visible = enterprise_list_for(user=user).values("pk")
        return queryset.filter(**{f"{self.enterprise_field}__in": visible})


@admin.register(Enterprise)
class EnterpriseAdmin(EnterpriseRowsAdmin):
    enterprise_field = "pk"
    list_display = ("name", "credit_code", "area", "status", "normal_workforce", "resumed_on")
    list_filter = ("status", "above_scale", "size_class")
    search_fields = ("name", "credit_code")
    list_select_related = ("area",)


@admin.register(EnterpriseSignup)
class EnterpriseSignupAdmin(EnterpriseRowsAdmin):
    list_display = ("enterprise", "contact_name", "status", "created_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("enterprise",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # Sign-ups are for those who review or manage their town's enterprises.
        return queryset.filter(pk__in=signup_list_for(user=user, status="").values("pk"))


@admin.register(ResumptionFiling)
class ResumptionFilingAdmin(EnterpriseRowsAdmin):
    list_display = ("enterprise", "phase", "route", "status", "planned_date", "workers_planned")
    list_filter = ("status", "phase", "route")
    list_select_related = ("enterprise",)


@admin.register(DailyReport)
class DailyReportAdmin(EnterpriseRowsAdmin):
    list_display = ("enterprise", "date", "workers_on_duty", "reported_at")
    date_hierarchy = "date"
    list_select_related = ("enterprise",)
    show_full_result_count = False


@admin.register(Employee)
class EmployeeAdmin(EnterpriseRowsAdmin):
    list_display = ("name", "id_number_masked", "phone_masked", "enterprise", "health")
    list_filter = ("health", "quarantine_needed", "new_hire")
    list_select_related = ("enterprise",)
    show_full_result_count = False

    @admin.display(description=_("ID number"))
    def id_number_masked(self, obj: Employee) -> str:
        return obj.id_number_masked

    @admin.display(description=_("mobile"))
    def phone_masked(self, obj: Employee) -> str:
        return obj.phone_masked


@admin.register(Inspection)
class InspectionAdmin(EnterpriseRowsAdmin):
    list_display = ("enterprise", "inspector")
    list_select_related = ("enterprise", "inspector")
