"""Django admin for the front line: read-only lists for support staff, scoped like the pages
(through the app's access rule). Writes go through the pages and the API; ID numbers and
mobiles appear only masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.volunteers import access
from dualtrack.volunteers.models import CommandoTeam, Deployment, Duty, PartyBranch, Volunteer


@admin.register(PartyBranch)
class PartyBranchAdmin(ScopedModelAdmin):
    list_display = ("name", "site", "area", "founded_on")
    list_select_related = ("area",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.branches_visible(user).values("pk"))


@admin.register(CommandoTeam)
class CommandoTeamAdmin(ScopedModelAdmin):
    list_display = ("name", "leader", "task", "starts_on", "ends_on")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.teams_visible(user).values("pk"))


@admin.register(Deployment)
class DeploymentAdmin(ScopedModelAdmin):
    list_display = ("cadre", "area", "task", "starts_on")
    list_select_related = ("cadre", "area")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.deployments_visible(user).values("pk"))


@admin.register(Duty)
class DutyAdmin(ScopedModelAdmin):
    list_display = ("title", "kind", "area", "starts_at", "ends_at", "needed")
    list_select_related = ("area",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.duties_visible(user).values("pk"))


@admin.register(Volunteer)
class VolunteerAdmin(ScopedModelAdmin):
    list_display = ("name", "mobile_masked", "status", "hours_per_week", "created_at")
    list_filter = ("status",)
    show_full_result_count = False

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.volunteers_visible(user).values("pk"))

    @admin.display(description=_("mobile"))
    def mobile_masked(self, obj: Volunteer) -> str:
        return obj.mobile_masked
