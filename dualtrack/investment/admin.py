"""Django admin for the investment pipeline: read-only lists for support staff, scoped like the
pages (through the app's access rule). Projects move and ceremonies are held through the pages
and the API (the stage rules, history and audit entries); a project's history is never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.investment import access
from dualtrack.investment.models import Ceremony, Meeting, Project, ProjectDocument, ProjectEvent


class _ReadOnlyInline:
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ProjectEventInline(_ReadOnlyInline, admin.TabularInline[ProjectEvent, Project]):
    model = ProjectEvent
    fields = ("stage", "at", "note", "actor")
    readonly_fields = fields


class MeetingInline(_ReadOnlyInline, admin.TabularInline[Meeting, Project]):
    model = Meeting
    fields = ("held_at", "participants", "video_link")
    readonly_fields = fields


class ProjectDocumentInline(_ReadOnlyInline, admin.TabularInline[ProjectDocument, Project]):
    model = ProjectDocument
    fields = ("title", "direction", "created_at")
    readonly_fields = fields


@admin.register(Project)
class ProjectAdmin(ScopedModelAdmin):
    list_display = (
        "name",
        "investor",
        "industry",
        "amount",
        "jobs_expected",
        "stage",
        "next_step_on",
        "ceremony",
    )
    list_filter = ("stage", "industry")
    list_select_related = ("ceremony",)
    search_fields = ("name", "investor")
    inlines = (ProjectEventInline, MeetingInline, ProjectDocumentInline)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.projects_visible(user).values("pk"))


@admin.register(Ceremony)
class CeremonyAdmin(ScopedModelAdmin):
    list_display = ("title", "held_at", "created_by")
    list_select_related = ("created_by",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.ceremonies_visible(user).values("pk"))
