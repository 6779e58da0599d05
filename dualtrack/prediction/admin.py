"""The early warning's Django admin (core.scoped_admin.ScopedModelAdmin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.prediction.access import visible_q
from dualtrack.prediction.models import Signal


@admin.register(Signal)
class SignalAdmin(ScopedModelAdmin):
    """Read-only: the signals the user sees on the panel; they are handled on its pages."""

    list_display = ("area", "series", "method", "first_day", "last_day", "value", "state")
    list_filter = ("method", "state", "series")
    list_select_related = ("area",)
    show_full_result_count = False

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(visible_q(user))
