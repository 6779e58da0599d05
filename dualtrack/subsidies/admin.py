"""Django admin for subsidies: read-only lists for support staff, scoped like the pages (through
the app's access rule). Writes go through the pages and the API."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.subsidies import access
from dualtrack.subsidies.models import Claim, PaymentBatch


@admin.register(Claim)
class ClaimAdmin(ScopedModelAdmin):
    list_display = ("pk", "clause", "origin", "payee_name", "computed_amount", "status")
    list_filter = ("clause", "status", "origin")
    show_full_result_count = False
    exclude = ("bank_account",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.claims_visible(user).values("pk"))


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ScopedModelAdmin):
    list_display = ("number", "status", "total", "voucher_no", "paid_at")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.batches_visible(user).values("pk"))
