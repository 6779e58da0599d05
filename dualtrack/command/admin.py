"""Django admin for command: read-only lists for support staff, scoped like the pages (through
the app's access rule). Writes go through the pages and the API (their services check the role
and leave the audit entries)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from dualtrack.command import access
from dualtrack.command.models import (
    Briefing,
    Directive,
    DirectiveAssignment,
    Meeting,
    Notice,
    Snapshot,
)
from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin


@admin.register(Directive)
class DirectiveAdmin(ScopedModelAdmin):
    list_display = ("title", "issuer_area", "issuer_unit", "deadline", "issued_at")
    list_select_related = ("issuer_area", "issuer_unit")
    search_fields = ("title",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(access.directives_visible_q(user))


@admin.register(DirectiveAssignment)
class DirectiveAssignmentAdmin(ScopedModelAdmin):
    list_display = ("directive", "recipient_area", "recipient_unit", "status", "progress")
    list_filter = ("status",)
    list_select_related = ("directive", "recipient_area", "recipient_unit")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(access.assignments_visible_q(user))


@admin.register(Meeting)
class MeetingAdmin(ScopedModelAdmin):
    list_display = ("title", "held_at", "place", "created_by")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # HQ's meetings, for those who see the district (as selectors.meeting_list_for).
        return queryset if access.district_wide(user, access.Ability.VIEW) else queryset.none()


@admin.register(Snapshot)
class SnapshotAdmin(ScopedModelAdmin):
    list_display = ("day", "frozen_at")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset if access.district_wide(user, access.Ability.BRIEFINGS) else queryset.none()


@admin.register(Briefing)
class BriefingAdmin(ScopedModelAdmin):
    list_display = ("number", "title", "status", "published_at")
    list_filter = ("status",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if access.district_wide(user, access.Ability.BRIEFINGS):
            return queryset
        return queryset.filter(status="published")


@admin.register(Notice)
class NoticeAdmin(ScopedModelAdmin):
    list_display = ("title", "published_at")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset  # public policy notices
