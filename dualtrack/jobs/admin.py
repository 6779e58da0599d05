"""Django admin for the employment services: read-only lists for support staff, scoped like the
pages (through the app's access rule). Writes go through the pages and the API; ID numbers and
mobiles appear only masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.jobs import access
from dualtrack.jobs.models import Application, Fair, Introducer, Posting


@admin.register(Fair)
class FairAdmin(ScopedModelAdmin):
    list_display = ("title", "starts_on", "ends_on", "closed_at")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.fairs_visible(user).values("pk"))


@admin.register(Posting)
class PostingAdmin(ScopedModelAdmin):
    list_display = ("title", "enterprise", "fair", "positions", "hired", "status")
    list_filter = ("status",)
    list_select_related = ("enterprise", "fair")
    show_full_result_count = False

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.postings_visible(user).values("pk"))


@admin.register(Application)
class ApplicationAdmin(ScopedModelAdmin):
    list_display = ("applicant", "posting", "enterprise", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("applicant", "posting", "enterprise")
    show_full_result_count = False

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.applications_visible(user).values("pk"))


@admin.register(Introducer)
class IntroducerAdmin(ScopedModelAdmin):
    list_display = ("name", "code", "kind", "mobile_masked", "verified_at")
    list_filter = ("kind", "self_registered")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.introducers_visible(user).values("pk"))

    @admin.display(description=_("mobile"))
    def mobile_masked(self, obj: Introducer) -> str:
        return obj.mobile_masked
