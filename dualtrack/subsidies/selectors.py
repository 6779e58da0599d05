"""Reading subsidies, always within what the user may see (``access``); the parameters and the
policy texts are public."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.subsidies import access, inputs
from dualtrack.subsidies.models import (
    Allotment,
    Budget,
    Claim,
    ClaimStatus,
    DuplicateClaim,
    LedgerEntry,
    ParameterVersion,
    PaymentBatch,
)
from dualtrack.subsidies.rules import proactive
from dualtrack.subsidies.rules.params import Parameters, Version

PAGE = 50


def versions(ids: Collection[int] | None = None) -> list[Version]:
    """Every parameter version (only those of ``ids`` when given)."""
    qs = (
        ParameterVersion.objects.all()
        if ids is None
        else ParameterVersion.objects.filter(pk__in=ids)
    )
    return [
        Version(
            p.clause,
            p.name,
            p.value,
            p.effective_from,
            p.effective_to,
            p.recorded_at,
            p.scope,
            p.pk,
        )
        for p in qs
    ]


def parameters(*, known_at: datetime.datetime | None = None) -> Parameters:
    """The parameters as recorded up to ``known_at`` (all of them when None)."""
    return Parameters(versions(), known_at)


def parameter_list() -> QuerySet[ParameterVersion]:
    """Every version, public: the policy page shows corrections as such."""
    return ParameterVersion.objects.select_related("recorded_by").order_by(
        "clause", "name", "scope", "-recorded_at"
    )


def claim_list_for(
    *, user: User, clause: str = "", status: str = "", origin: str = "", after: int = 0
) -> list[Claim]:
    """One keyset page of the claims in sight, newest first (``after``: the last id shown)."""
    qs = access.claims_visible(user).select_related("enterprise")
    if clause:
        qs = qs.filter(clause=clause)
    if status:
        qs = qs.filter(status=status)
    if origin:
        qs = qs.filter(origin=origin)
    if after:
        qs = qs.filter(pk__lt=after)
    return list(qs.defer("explanation", "inputs").order_by("-pk")[:PAGE])


def claim_get_for(*, user: User, claim_id: int) -> Claim:
    claim = (
        Claim.objects.select_related("enterprise__area", "batch", "decided_by")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None or not access.may_see_claim(user, claim):
        raise NotFound()
    claim.explanation = claim_explanation(claim)
    return claim


def claim_inputs(claim: Claim) -> dict[str, Any]:
    """The claim's inputs with its rows: an offer computed in the batch keeps its records' ids,
    read again here."""
    data = dict(claim.inputs or {})
    if "ids" in data:
        data[proactive.LIST_KEY[claim.clause]] = inputs.rows_by_ids(claim.clause, data["ids"])
    return data


def claim_explanation(claim: Claim) -> dict[str, Any]:
    """The claim's explanation: as stored, or — for a proactive offer computed in the batch,
    which keeps the ids of its records, the total already granted and the ids of the parameter
    versions it used — rendered from them by the clause's rule, the records read again (the
    same tree the per-payee computation gives)."""
    if claim.explanation:
        return dict(claim.explanation)
    used = (claim.inputs or {}).get("versions", {})
    params = Parameters(versions(list(used.values())))
    rows = inputs.rows_by_ids(claim.clause, claim.inputs.get("ids", []))
    tree = proactive.render(claim.clause, claim.inputs, rows, params, claim.relevant_date)
    return tree.as_dict()


def duplicates_of(claim: Claim) -> QuerySet[DuplicateClaim]:
    return claim.duplicates.select_related("first_claim").order_by("pk")


def budgets() -> list[Budget]:
    return list(Budget.objects.order_by("clause"))


def waiting_queue(*, clause: str) -> QuerySet[Claim]:
    """Approved claims waiting for the clause's budget, first approved first."""
    return Claim.objects.filter(clause=clause, status=ClaimStatus.WAITING).order_by(
        "decided_at", "pk"
    )


def granted_to(*, clause: str, holder: str) -> Decimal:
    row = Allotment.objects.filter(clause=clause, holder=holder).first()
    return row.granted if row else Decimal("0.00")


def batch_list_for(*, user: User) -> QuerySet[PaymentBatch]:
    return access.batches_visible(user).order_by("-pk")[:PAGE]


def batch_get_for(*, user: User, batch_id: int) -> PaymentBatch:
    batch = access.batches_visible(user).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound()
    return batch


def batch_claims(batch: PaymentBatch) -> QuerySet[Claim]:
    return batch.claims.select_related("enterprise").order_by("decided_at", "pk")


@dataclass(frozen=True)
class LedgerLine:
    clause: str
    enterprise_id: int | None
    introducer_id: int | None
    payee: str
    total: Decimal
    entries: int


def ledger_for(*, user: User, enterprise_id: int | None = None) -> list[LedgerLine]:
    """The payment ledger per payee and clause: each line the sum of its entries."""
    qs = LedgerEntry.objects.filter(access.ledger_q(user))
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    rows = (
        qs.values("clause", "enterprise_id", "introducer_id", "claim__payee_name")
        .annotate(total=Sum("amount"), entries=Sum(1))
        .order_by("claim__payee_name", "clause")[:500]
    )
    return [
        LedgerLine(
            r["clause"],
            r["enterprise_id"],
            r["introducer_id"],
            r["claim__payee_name"],
            r["total"],
            r["entries"],
        )
        for r in rows
    ]


def ledger_entries_of(claim: Claim) -> QuerySet[LedgerEntry]:
    return claim.ledger.select_related("batch").order_by("pk")


def town_choices() -> list[tuple[str, str]]:
    """The district's towns (public: the calculator's choice of a town's scheme)."""
    from dualtrack.areas.models import Area, AreaKind

    return list(
        Area.objects.filter(kind=AreaKind.TOWN).order_by("code").values_list("code", "name")
    )
