"""Proactive offers (免申即享): for every enterprise (and introducer) the platform computes what
it may get under the clauses whose inputs it already holds — hires, tickets, introductions —
with no form. A payee's open offer is recomputed in place; what its earlier claims counted is
not counted again; a worker's hire, a ticket or an introduced worker another payee's open claim
holds is a duplicate claim, recorded. One transaction; bulk reads and writes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.scoping import ROOT_CODE
from dualtrack.core.audit import audit_entry
from dualtrack.core.jobs import Progress, job_start, no_progress
from dualtrack.core.models import AuditAction, AuditEntry, Job, User
from dualtrack.subsidies import access, inputs, selectors
from dualtrack.subsidies.models import (
    Allotment,
    Claim,
    ClaimItem,
    ClaimOrigin,
    ClaimStatus,
    DuplicateClaim,
    ItemKind,
)
from dualtrack.subsidies.rules.dispatch import compute
from dualtrack.subsidies.rules.params import Parameters

PROACTIVE = ("recruitment", "transport", "introducer")
Payee = tuple[str, int]  # ("e", enterprise id) or ("i", introducer id)


@dataclass
class Candidate:
    payee: Payee
    name: str = ""
    rows: list[list[Any]] = field(default_factory=list)
    items: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class OffersOutcome:
    created: int = 0
    updated: int = 0
    duplicates: int = 0
    total: dict[str, str] = field(default_factory=dict)


def _candidates(clause: str, since: datetime.date) -> tuple[list[Candidate], dict[str, Any]]:
    found: dict[Payee, Candidate] = {}
    extra: dict[str, Any] = {}
    if clause == "recruitment":
        for h in inputs.new_hires(since=since):
            c = found.setdefault(("e", h.enterprise_id), Candidate(("e", h.enterprise_id)))
            c.rows.append([h.id, h.hire_date.isoformat(), h.name])
            c.items[h.id] = [(ItemKind.HIRE, h.digest)]
    elif clause == "transport":
        for t in inputs.tickets(since=since):
            c = found.setdefault(("e", t.enterprise_id), Candidate(("e", t.enterprise_id)))
            day = t.travel_date.isoformat()
            c.rows.append([t.id, t.digest, t.route, t.fare, day, t.name])
            c.items[t.id] = [(ItemKind.TICKET, str(t.id)), (ItemKind.JOURNEY, f"{t.digest}:{day}")]
        extra["carried"] = {(p, d.isoformat()) for p, d in inputs.carried(since=since)}
    else:
        for i in inputs.hired_introductions():
            c = found.setdefault(("i", i.introducer_id), Candidate(("i", i.introducer_id)))
            c.name = i.introducer_name
            c.rows.append([i.id, i.name])
            c.items[i.id] = [(ItemKind.INTRODUCED, i.digest)]
    return list(found.values()), extra


LIST_KEY = {"recruitment": "hires", "transport": "journeys", "introducer": "introductions"}


def offers_compute(
    *, actor: User | None, on: datetime.date | None = None, progress: Progress = no_progress
) -> OffersOutcome:
    """Compute the offers of every payee under the proactive clauses (``actor`` None: the demo
    and the benchmark, which run as the system)."""
    if actor is not None:
        access.require_review(actor)
    on = on or timezone.localdate()
    outcome = OffersOutcome()
    with transaction.atomic():
        params = selectors.parameters()
        for n, clause in enumerate(PROACTIVE):
            progress(n, len(PROACTIVE), clause)
            _clause_offers(actor, clause, params, on, outcome)
    progress(len(PROACTIVE), len(PROACTIVE), "")
    return outcome


def _since(params: Parameters, clause: str) -> datetime.date:
    name = {"recruitment": "per_hire", "transport": "share", "introducer": "per_worker"}[clause]
    return params.first_day(clause, name) or datetime.date(2000, 1, 1)


def _clause_offers(
    actor: User | None, clause: str, params: Parameters, on: datetime.date, out: OffersOutcome
) -> None:
    candidates, extra = _candidates(clause, _since(params, clause))
    held: dict[tuple[str, str], Claim] = {}
    kinds = {k for c in candidates for rows in c.items.values() for k, _ in rows}
    for item in ClaimItem.objects.filter(held=True, kind__in=kinds).select_related("claim"):
        held[(item.kind, item.key)] = item.claim
    open_offers = {
        ("e", c.enterprise_id) if c.enterprise_id else ("i", c.introducer_id or 0): c
        for c in Claim.objects.filter(
            clause=clause, origin=ClaimOrigin.OFFER, status=ClaimStatus.OFFERED
        ).select_related("enterprise__area")
    }
    granted = {
        a.holder: a.granted
        for a in Allotment.objects.filter(clause=clause).only("holder", "granted")
    }
    payees = inputs.enterprise_payees({c.payee[1] for c in candidates if c.payee[0] == "e"})
    # Earlier payees' offers, held as this run goes: the first to hold an item keeps it.
    now = timezone.now()
    to_create: list[Claim] = []
    to_update: list[Claim] = []
    items_of: dict[int, tuple[Claim, list[tuple[str, str, int]]]] = {}
    duplicates: list[tuple[Claim, str, str, int, Claim]] = []
    for cand in candidates:
        offer = open_offers.get(cand.payee)
        keep_rows: list[list[Any]] = []
        kept_items: list[tuple[str, str, int]] = []
        dups: list[tuple[str, str, int, Claim]] = []
        for row in cand.rows:
            ref = int(row[0])
            taken = None
            for kind, key in cand.items[ref]:
                other = held.get((kind, key))
                if other is not None and (offer is None or other.pk != offer.pk):
                    taken = (kind, key, other)
                    break
            if taken is None:
                keep_rows.append(row)
                kept_items.extend((k, key, ref) for k, key in cand.items[ref])
            elif _payee_of(taken[2]) != cand.payee:
                dups.append((taken[0], taken[1], ref, taken[2]))
        data: dict[str, Any] = {LIST_KEY[clause]: keep_rows}
        if clause == "transport":
            days = {(r[1], r[4]) for r in keep_rows}
            data["carried"] = [[p, d] for p, d in sorted(days & extra["carried"])]
        holder = f"{cand.payee[0]}:{cand.payee[1]}"
        data["already"] = str(granted.get(holder, "0"))
        result = compute(clause, data, params, on)
        if not result.eligible and offer is None:
            continue
        claim = offer or Claim(
            clause=clause,
            origin=ClaimOrigin.OFFER,
            status=ClaimStatus.OFFERED,
            enterprise_id=cand.payee[1] if cand.payee[0] == "e" else None,
            introducer_id=cand.payee[1] if cand.payee[0] == "i" else None,
            payee_name=payees[cand.payee[1]][0] if cand.payee[0] == "e" else cand.name,
            created_by=actor,
        )
        claim.relevant_date, claim.params_known_at = on, now
        claim.inputs = data
        claim.computed_amount = result.amount
        claim.explanation = result.explanation.as_dict()
        counted = {r.id for r in result.counted}
        kept = [(k, key, ref) for k, key, ref in kept_items if ref in counted]
        (to_update if offer else to_create).append(claim)
        items_of[id(claim)] = (claim, kept)
        for k, key, _ref in kept:
            held[(k, key)] = claim
        for kind, key, ref, other in dups:
            duplicates.append((claim, kind, key, ref, other))
    Claim.objects.bulk_create(to_create, batch_size=2000)
    Claim.objects.bulk_update(
        to_update,
        ["relevant_date", "params_known_at", "inputs", "computed_amount", "explanation"],
        batch_size=2000,
    )
    ClaimItem.objects.filter(claim__in=[c.pk for c in to_update]).delete()
    ClaimItem.objects.bulk_create(
        (
            ClaimItem(claim=claim, kind=k, key=key, ref_id=ref)
            for claim, kept in items_of.values()
            for k, key, ref in kept
        ),
        batch_size=5000,
    )
    DuplicateClaim.objects.bulk_create(
        (
            DuplicateClaim(claim=c, kind=k, key=key, ref_id=ref, first_claim=o)
            for c, k, key, ref, o in duplicates
            if o.pk is not None
        ),
        batch_size=5000,
    )
    AuditEntry.objects.bulk_create(
        (
            audit_entry(
                actor=actor,
                action=AuditAction.CREATE,
                instance=c,
                area_code=payees[c.enterprise_id][1] if c.enterprise_id else ROOT_CODE,
                after={"amount": str(c.computed_amount)},
                note="offer",
            )
            for c in to_create + to_update
        ),
        batch_size=5000,
    )
    out.created += len(to_create)
    out.updated += len(to_update)
    out.duplicates += len(duplicates)
    out.total[clause] = str(sum((c.computed_amount for c in to_create + to_update), 0))


def _payee_of(claim: Claim) -> Payee:
    return ("e", claim.enterprise_id) if claim.enterprise_id else ("i", claim.introducer_id or 0)


def offers_start(*, actor: User) -> Job:
    """Queue the offers' computation as a background job (its page shows the progress)."""
    from dualtrack.subsidies.jobs import OFFERS_JOB

    access.require_review(actor)
    return job_start(actor=actor, kind=OFFERS_JOB, label=_("Compute proactive offers"))
