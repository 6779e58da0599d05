"""Django admin for checkpoints: read-only lists for support staff, scoped like the pages (the
checkpoints' own access rule: a gate's staff see their gates, a town its checkpoints). Writes go
through the pages and the API (services: scope checks, audit); personal data appears only
masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from dualtrack.areas.scoping import Permission
from dualtrack.checkpoints.access import Ability, checkpoints_q, visible_checkpoints_q
from dualtrack.checkpoints.models import Alert, Checkpoint, DailyFigure, Passage, Shift
from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin


class ReadOnlyAdmin(ScopedModelAdmin):
    """Rows of the checkpoints the user sees (``checkpoint_field`` leads to the checkpoint)."""

    checkpoint_field = "checkpoint"

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.checkpoint_field}__in": self.checkpoints(user)})

    def checkpoints(self, user: User) -> QuerySet[Any]:
        return Checkpoint.objects.filter(visible_checkpoints_q(user)).values("pk")


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    checkpoint_field = "pk"
    hidden_fields = ("qr_token",)
    list_display = ("name", "area", "kind", "status", "person_in_charge")
    list_filter = ("status", "kind")
    search_fields = ("name", "area__name")


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = ("checkpoint", "starts_at", "ends_at")
    date_hierarchy = "starts_at"


@admin.register(Passage)
class PassageAdmin(ReadOnlyAdmin):
    def checkpoints(self, user: User) -> QuerySet[Any]:
        # The register: only where the user may read it (a volunteer sees the gate, not who
        # passed it).
        return Checkpoint.objects.filter(checkpoints_q(user, Ability.READ_REGISTER)).values("pk")

    list_display = (
        "occurred_at",
        "checkpoint",
        "direction",
        "name",
        "masked_id_number",
        "temperature",
        "origin_name",
        "source",
    )
    list_filter = ("direction", "source", "is_fever", "from_risk_area")
    fields = (
        "checkpoint",
        "occurred_at",
        "direction",
        "name",
        "masked_id_number",
        "masked_phone",
        "temperature",
        "origin_code",
        "origin_name",
        "purpose",
        "notice_given",
        "source",
    )
    readonly_fields = fields
    show_full_result_count = False


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    """Whom an alert is about is for those who may handle it (``can_see_alert_person``)."""

    def checkpoints(self, user: User) -> QuerySet[Any]:
        return Checkpoint.objects.filter(
            visible_checkpoints_q(user, Permission.HANDLE_ALERTS)
        ).values("pk")

    list_display = ("checkpoint", "raised_at", "fever", "risk_area", "handled_at", "outcome")
    list_filter = ("fever", "risk_area", "outcome")


@admin.register(DailyFigure)
class DailyFigureAdmin(ReadOnlyAdmin):
    list_display = ("checkpoint", "day", "people_in", "people_out", "fevers", "alerts_raised")
