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
CENT = Decimal("0.01")
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


# What the claims' figures add up, per group of claims.
SUMS = ("applied", "offered", "approved", "claims")


def _claim_groups(claims: Any) -> list[dict[str, Any]]:
    """The claims' sums per clause, town and month in one grouped statement: the three
    breakdowns are added up from it (a few hundred groups at most, whatever the claims)."""
    return list(
        claims.annotate(month=TruncMonth("created_at"))
        .values("clause", "enterprise__area__name", "month")
        .annotate(
            applied=Sum("computed_amount", filter=Q(origin=ClaimOrigin.APPLICATION)),
            offered=Sum("computed_amount", filter=Q(origin=ClaimOrigin.OFFER)),
            approved=Sum("approved_amount", filter=Q(status__in=APPROVED)),
            claims=Count("pk"),
        )
    )


def _paid_groups(user: User) -> list[dict[str, Any]]:
    """The ledger's sums per clause, town (of the entry's enterprise) and month booked."""
    rows: Any = (
        LedgerEntry.objects.filter(access.ledger_q(user))
        .annotate(month=TruncMonth("booked_at"))
        .values("clause", "enterprise__area__name", "month")
        .annotate(s=Sum("amount"))
    )
    return list(rows)


def _sums(groups: list[dict[str, Any]], group: str) -> dict[Any, dict[str, Any]]:
    out: dict[Any, dict[str, Any]] = {}
    for row in groups:
        into = out.setdefault(row[group], {})
        for name in SUMS:
            if row[name] is not None:
                into[name] = into.get(name, 0) + row[name]
    return out


def _paid(groups: list[dict[str, Any]], group: str) -> dict[Any, Decimal]:
    out: dict[Any, Decimal] = {}
    for row in groups:
        if row["s"] is not None:
            out[row[group]] = out.get(row[group], ZERO) + row["s"]
    return out


def _yuan(amount: Decimal | None) -> Decimal:
    # SQLite adds decimals up as floats: a sum came back as 589743.2300000000 (or 6000).
    return (amount or ZERO).quantize(CENT)


def _row(key: Any, label: str, sums: dict[str, Any], paid: Decimal | None) -> Row:
    return Row(
        str(key),
        label,
        _yuan(sums.get("applied")),
        _yuan(sums.get("offered")),
        _yuan(sums.get("approved")),
        _yuan(paid),
        sums.get("claims") or 0,
    )


def subsidy_figures(*, user: User) -> SubsidyFigures:
    """The figures within the user's sight: the claims' and the ledger's sums per clause, town
    and month read in one grouped statement each, and added up per breakdown."""
    claim_groups = _claim_groups(access.claims_visible(user))
    paid_groups = _paid_groups(user)
    out = SubsidyFigures()
    by_clause = _sums(claim_groups, "clause")
    paid = _paid(paid_groups, "clause")
    budgets = {b.clause: b.total for b in Budget.objects.all()}
    for key, name in ClauseKey.choices:
        row = _row(key, str(name), by_clause.get(key, {}), paid.get(key))
        row.budget = budgets.get(key)
        out.by_clause.append(row)
    by_town = _sums(claim_groups, "enterprise__area__name")
    paid_town = _paid(paid_groups, "enterprise__area__name")
    for key, sums in sorted(by_town.items(), key=lambda kv: str(kv[0])):
        label = str(key or gettext("introducers"))
        out.by_town.append(_row(key or "", label, sums, paid_town.get(key)))
    by_month = _sums(claim_groups, "month")
    for key, sums in sorted(by_month.items(), key=lambda kv: str(kv[0] or "")):
        month = f"{key:%Y-%m}" if key else ""
        out.by_month.append(_row(month, month, sums, None))
    months = {row.key: row for row in out.by_month}
    for key, s in _paid(paid_groups, "month").items():
        month = f"{key:%Y-%m}"
        months.setdefault(month, Row(month, month)).paid = _yuan(s)
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
