"""Django admin for checkpoints: read-only lists for support staff. Writes go through the pages
and the API (services: scope checks, audit); personal data appears only masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dualtrack.checkpoints.models import Alert, Checkpoint, DailyFigure, Passage, Shift


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("name", "area", "kind", "status", "person_in_charge")
    list_filter = ("status", "kind")
    search_fields = ("name", "area__name")
    exclude = ("qr_token",)


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = ("checkpoint", "starts_at", "ends_at")
    date_hierarchy = "starts_at"


@admin.register(Passage)
class PassageAdmin(ReadOnlyAdmin):
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
    list_display = ("checkpoint", "raised_at", "fever", "risk_area", "handled_at", "outcome")
    list_filter = ("fever", "risk_area", "outcome")


@admin.register(DailyFigure)
class DailyFigureAdmin(ReadOnlyAdmin):
    list_display = ("checkpoint", "day", "people_in", "people_out", "fevers", "alerts_raised")
