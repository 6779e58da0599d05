"""Django admin for the supplies: read-only lists for support staff, scoped like the pages (the
holders the user sees, through the app's selectors). The ledger is written only through its
services (balances, vouchers, audit); the catalogue of items is the district's, read by all."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.supplies.models import (
    Balance,
    Entry,
    Holder,
    Item,
    StocktakeAdjustment,
    SupplyRequest,
    Transfer,
)
from dualtrack.supplies.selectors import holder_list_for


def _holders(user: User) -> QuerySet[Any]:
    return holder_list_for(user=user).values("pk")


class HolderRowsAdmin(ScopedModelAdmin):
    """Rows of the holders the user sees (``holder_field`` leads to the holder)."""

    holder_field = "holder"

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.holder_field}__in": _holders(user)})


@admin.register(Item)
class ItemAdmin(ScopedModelAdmin):
    """The district's catalogue: the same for everyone."""

    list_display = ("name", "unit", "category", "specification")
    list_filter = ("category",)
    search_fields = ("name",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset


@admin.register(Holder)
class HolderAdmin(HolderRowsAdmin):
    holder_field = "pk"
    list_display = ("name", "kind", "area")
    list_filter = ("kind",)
    search_fields = ("name",)
    list_select_related = ("area",)


@admin.register(Balance)
class BalanceAdmin(HolderRowsAdmin):
    list_display = ("holder", "item", "quantity", "updated_at")
    list_select_related = ("holder", "item")


@admin.register(Entry)
class EntryAdmin(HolderRowsAdmin):
    list_display = ("occurred_on", "holder", "item", "kind", "quantity", "balance_after")
    list_filter = ("kind",)
    date_hierarchy = "occurred_on"
    list_select_related = ("holder", "item")
    show_full_result_count = False


@admin.register(Transfer)
class TransferAdmin(HolderRowsAdmin):
    list_display = ("voucher_no", "source", "destination", "status", "sent_on")
    list_filter = ("status",)
    list_select_related = ("source", "destination")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # From or to a holder in sight, as on the transfers page.
        holders = _holders(user)
        return queryset.filter(Q(source__in=holders) | Q(destination__in=holders))


@admin.register(SupplyRequest)
class SupplyRequestAdmin(HolderRowsAdmin):
    list_display = ("holder", "status", "created_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("holder",)


@admin.register(StocktakeAdjustment)
class StocktakeAdjustmentAdmin(HolderRowsAdmin):
    list_display = ("holder", "item", "status")
    list_filter = ("status",)
    list_select_related = ("holder", "item")
