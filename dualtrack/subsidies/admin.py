"""Django admin for subsidies: read-only lists for support staff, scoped like the pages (through
the app's access rule). Nothing is added, changed or deleted here: claims, parameters, budgets
and batches change through the services behind the pages and the API (audited, within the caps
and budgets), and the payment ledger is append-only — a paid amount is corrected only by a
reversing entry (``payments.payment_reverse``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from dualtrack.core.models import User
from dualtrack.core.scoped_admin import ScopedModelAdmin
from dualtrack.subsidies import access
from dualtrack.subsidies.models import (
    Allotment,
    Budget,
    Claim,
    ClaimItem,
    DuplicateClaim,
    LedgerEntry,
    ParameterVersion,
    PaymentBatch,
)


@admin.register(Claim)
class ClaimAdmin(ScopedModelAdmin):
    list_display = ("pk", "clause", "origin", "payee_name", "computed_amount", "status")
    list_filter = ("clause", "status", "origin")
    show_full_result_count = False
    exclude = ("bank_account",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.claims_visible(user).values("pk"))


class ByClaimAdmin(ScopedModelAdmin):
    """Rows that belong to a claim: in sight with their claim."""

    list_select_related = ("claim",)
    show_full_result_count = False

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(claim__in=access.claims_visible(user).values("pk"))


@admin.register(ClaimItem)
class ClaimItemAdmin(ByClaimAdmin):
    list_display = ("pk", "claim", "kind", "ref_id", "held")
    list_filter = ("kind", "held")
    exclude = ("key",)  # a worker's key is the digest of the ID number


@admin.register(DuplicateClaim)
class DuplicateClaimAdmin(ByClaimAdmin):
    list_display = ("pk", "claim", "kind", "ref_id", "first_claim", "detected_at")
    list_filter = ("kind",)
    exclude = ("key",)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ByClaimAdmin):
    list_display = ("pk", "booked_at", "clause", "kind", "amount", "claim", "batch", "reverses")
    list_filter = ("clause", "kind")


class ReviewersAdmin(ScopedModelAdmin):
    """District-wide money figures: the policy working group and the district's administrators."""

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset if access.may_review(user) else queryset.none()


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ScopedModelAdmin):
    list_display = ("number", "status", "total", "voucher_no", "paid_at")

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pk__in=access.batches_visible(user).values("pk"))


@admin.register(Budget)
class BudgetAdmin(ReviewersAdmin):
    list_display = ("clause", "total", "reserved", "spent")


@admin.register(Allotment)
class AllotmentAdmin(ReviewersAdmin):
    list_display = ("clause", "holder", "granted")
    list_filter = ("clause",)
    search_fields = ("holder",)


@admin.register(ParameterVersion)
class ParameterVersionAdmin(ScopedModelAdmin):
    """Public figures (the policy pages show every version), recorded only through the
    parameters' service: a correction is a new version, never an edit."""

    list_display = ("clause", "name", "scope", "value", "effective_from", "effective_to")
    list_filter = ("clause",)

    def rows_in_sight(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset
