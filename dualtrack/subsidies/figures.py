"""The subsidies' figures: applied, offered, approved and paid per clause, town and month
against each budget, within the user's sight; and the board's figures of a day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext

from dualtrack.core.models import User
from dualtrack.core.platform import Figure
from dualtrack.subsidies import access
from dualtrack.subsidies.models import Budget, ClaimOrigin, ClauseKey, LedgerEntry

ZERO = Decimal("0.00")
APPROVED = ("approved", "waiting", "batched", "paid")


@dataclass
class Row:
    key: str
    label: str
    applied: Decimal = ZERO
    offered: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO
    claims: int = 0
    budget: Decimal | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "applied": str(self.applied),
            "offered": str(self.offered),
            "approved": str(self.approved),
            "paid": str(self.paid),
            "claims": self.claims,
            "budget": None if self.budget is None else str(self.budget),
        }


@dataclass
class SubsidyFigures:
    by_clause: list[Row] = field(default_factory=list)
    by_town: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)


def _sums(qs: Any, group: str) -> dict[Any, dict[str, Any]]:
    rows = qs.values(group).annotate(
        applied=Sum("computed_amount", filter=Q(origin=ClaimOrigin.APPLICATION)),
        offered=Sum("computed_amount", filter=Q(origin=ClaimOrigin.OFFER)),
        approved=Sum("approved_amount", filter=Q(status__in=APPROVED)),
        claims=Count("pk"),
    )
    return {r[group]: r for r in rows}


def _paid(user: User, group: str) -> dict[Any, Decimal]:
    qs = LedgerEntry.objects.filter(access.ledger_q(user))
    return {r[group]: r["s"] for r in qs.values(group).annotate(s=Sum("amount"))}


def _row(key: Any, label: str, sums: dict[str, Any], paid: Decimal | None) -> Row:
    return Row(
        str(key),
        label,
        sums.get("applied") or ZERO,
        sums.get("offered") or ZERO,
        sums.get("approved") or ZERO,
        paid or ZERO,
        sums.get("claims") or 0,
    )


def subsidy_figures(*, user: User) -> SubsidyFigures:
    """The figures within the user's sight (each a few grouped queries)."""
    claims = access.claims_visible(user)
    out = SubsidyFigures()
    by_clause = _sums(claims, "clause")
    paid = _paid(user, "clause")
    budgets = {b.clause: b.total for b in Budget.objects.all()}
    for key, name in ClauseKey.choices:
        row = _row(key, str(name), by_clause.get(key, {}), paid.get(key))
        row.budget = budgets.get(key)
        out.by_clause.append(row)
    by_town = _sums(claims, "enterprise__area__name")
    paid_town = _paid(user, "enterprise__area__name")
    for key, sums in sorted(by_town.items(), key=lambda kv: str(kv[0])):
        label = str(key or gettext("introducers"))
        out.by_town.append(_row(key or "", label, sums, paid_town.get(key)))
    by_month = _sums(claims.annotate(month=TruncMonth("created_at")), "month")
    for key, sums in sorted(by_month.items(), key=lambda kv: str(kv[0] or "")):
        month = f"{key:%Y-%m}" if key else ""
        out.by_month.append(_row(month, month, sums, None))
    paid_month = (
        LedgerEntry.objects.filter(access.ledger_q(user))
        .annotate(month=TruncMonth("booked_at"))
        .values("month")
        .annotate(s=Sum("amount"))
    )
    months = {row.key: row for row in out.by_month}
    for r in paid_month:
        month = f"{r['month']:%Y-%m}"
        months.setdefault(month, Row(month, month)).paid = r["s"] or ZERO
    out.by_month = sorted(months.values(), key=lambda r: r.key)
    return out


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """ "Subsidies paid" and the approvals waiting for payment, for the board and the briefing."""
    if not access.sees_subsidies(user):
        return []
    paid = LedgerEntry.objects.filter(access.ledger_q(user)).aggregate(s=Sum("amount"))["s"]
    approved = (
        access.claims_visible(user)
        .filter(status__in=("approved", "waiting", "batched"))
        .aggregate(s=Sum("approved_amount"))["s"]
    )
    link = reverse("subsidies_figures")
    return [
        Figure("subsidies.paid", gettext("subsidies paid"), paid or ZERO, gettext("yuan"), link),
        Figure(
            "subsidies.approved_unpaid",
            gettext("subsidies approved, not yet paid"),
            approved or ZERO,
            gettext("yuan"),
            link,
        ),
    ]
