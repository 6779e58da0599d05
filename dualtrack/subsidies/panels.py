"""The subsidies' panel of the wall screen (core.platform.Panel): per clause, the amounts paid
(the payment ledger) and approved but not yet paid, within the clause's budget — the figures
the board's and the briefing's "subsidies paid" sum, each one grouped query."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area, AreaKind
from dualtrack.core.models import User
from dualtrack.core.platform import Panel
from dualtrack.enterprises.access import enterprise_sight
from dualtrack.subsidies import access
from dualtrack.subsidies.models import Budget, ClauseKey, LedgerEntry

# Approved and on their way to the bank: reserved on the budget, not yet spent.
APPROVED_UNPAID = ("approved", "waiting", "batched")


def _money(value: Decimal | None) -> float:
    return float(value or 0)


def budget_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """Per clause: paid and approved-unpaid for the enterprises under ``area`` (the district's
    board also counts the introducers' rewards), and what is left of the budget on the
    district's board (a budget is the district's, not a town's)."""
    if not access.sees_subsidies(user):
        return None
    district = area.kind == AreaKind.DISTRICT
    under = Q() if district else Q(enterprise__area__code__startswith=area.code)
    claims = access.claims_visible(user)  # the ledger is seen as its claims are (ledger_q)
    paid = dict(
        LedgerEntry.objects.filter(under, claim__in=claims.values("pk"))
        .values("clause")
        .annotate(s=Sum("amount"))
        .values_list("clause", "s")
    )
    unpaid = dict(
        claims.filter(under, status__in=APPROVED_UNPAID)
        .values("clause")
        .annotate(s=Sum("approved_amount"))
        .values_list("clause", "s")
    )
    budgets = dict(Budget.objects.values_list("clause", "total")) if district else {}
    clauses = [
        (key, label)
        for key, label in ClauseKey.choices
        if paid.get(key) or unpaid.get(key) or budgets.get(key)
    ]
    if not clauses:
        return None
    # One bar per clause, its parts stacked: paid, then approved and on its way, then (on the
    # district's board) what is left of the budget, drawn faint: the bar is as long as the
    # budget, and its coloured part is what is committed of it.
    series: list[dict[str, Any]] = [
        {
            "name": gettext("Paid"),
            "values": [_money(paid.get(k)) for k, _l in clauses],
            "stack": "clause",
        },
        {
            "name": gettext("Approved, not yet paid"),
            "values": [_money(unpaid.get(k)) for k, _l in clauses],
            "stack": "clause",
        },
    ]
    if district:
        left = [
            max(_money(budgets.get(k)) - _money(paid.get(k)) - _money(unpaid.get(k)), 0.0)
            for k, _l in clauses
        ]
        series.append(
            {"name": gettext("Budget left"), "values": left, "stack": "clause", "rest": True}
        )
    return {
        "x": [str(label) for _k, label in clauses],
        "series": series,
        "unit": gettext("yuan"),
        "horizontal": True,
    }


PANELS = (
    Panel(
        key="subsidies.budget",
        title=_("Subsidies paid and approved, against the budgets"),
        track="production",
        chart="bar",
        data=budget_panel,
        order=50,
        sight=enterprise_sight,
    ),
)
