"""Proactive offers (免申即享): for every enterprise (and introducer) the platform computes what
it may get under the clauses whose inputs it already holds — hires, tickets, introductions —
with no form. A payee's open offer is recomputed in place; what its earlier claims counted is
not counted again; a worker's hire, a ticket or an introduced worker another payee's open claim
holds is a duplicate claim, recorded. One transaction; bulk reads and writes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

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
from dualtrack.subsidies.rules import proactive
from dualtrack.subsidies.rules.base import RuleError
from dualtrack.subsidies.rules.dispatch import not_in_force_error
from dualtrack.subsidies.rules.params import NotInForce, Parameters
from dualtrack.subsidies.rules.proactive import Payee
from dualtrack.subsidies.services.claims import rule_refusal

PROACTIVE = ("recruitment", "transport", "introducer")


@dataclass
class OffersOutcome:
    created: int = 0
    updated: int = 0
    duplicates: int = 0
    total: dict[str, str] = field(default_factory=dict)


def hire_columns(hires: list[inputs.HireRow]) -> proactive.Columns:
    """New hires as the recruitment subsidy's columns (one entry per hire)."""
    cols = proactive.Columns("recruitment")
    cols.payee = [("e", h.enterprise_id) for h in hires]
    cols.ids = [h.id for h in hires]
    cols.days = [h.hire_date.isoformat() for h in hires]
    cols.labels = [h.name for h in hires]
    cols.keys = [[(ItemKind.HIRE.value, h.digest) for h in hires]]
    return cols


def ticket_columns(tickets: list[inputs.TicketRow]) -> proactive.Columns:
    """Self-travel tickets as the transport subsidy's columns (one entry per ticket)."""
    cols = proactive.Columns("transport")
    cols.payee = [("e", t.enterprise_id) for t in tickets]
    cols.ids = [t.id for t in tickets]
    cols.days = [t.travel_date.isoformat() for t in tickets]
    cols.labels = [t.name for t in tickets]
    cols.person = [t.digest for t in tickets]
    cols.route = [t.route for t in tickets]
    cols.fare = [t.fare for t in tickets]
    journey = ItemKind.JOURNEY.value
    cols.keys = [
        [(ItemKind.TICKET.value, str(t.id)) for t in tickets],
        [(journey, f"{p}:{d}") for p, d in zip(cols.person, cols.days, strict=True)],
    ]
    return cols


def _columns(clause: str, since: datetime.date) -> proactive.Columns:
    """The clause's records, read in bulk, as columns (one entry per record)."""
    if clause == "recruitment":
        return hire_columns(inputs.new_hires(since=since))
    if clause == "transport":
        return ticket_columns(inputs.tickets(since=since))
    intros = inputs.hired_introductions()
    cols = proactive.Columns(clause)
    cols.payee = [("i", i.introducer_id) for i in intros]
    cols.ids = [i.id for i in intros]
    cols.days = [i.hired_on.isoformat() for i in intros]
    cols.labels = [i.name for i in intros]
    cols.keys = [[(ItemKind.INTRODUCED.value, i.digest) for i in intros]]
    cols.names = {("i", i.introducer_id): i.introducer_name for i in intros}
    return cols


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
    since = _since(params, clause)
    cols = _columns(clause, since)
    kinds = {k for col in cols.keys for k, _key in col[:1]}
    carried: frozenset[tuple[str, str]] = frozenset()
    if clause == "transport":
        carried = frozenset((p, d.isoformat()) for p, d in inputs.carried(since=since))
    claims: dict[int, Claim] = {}
    held: dict[tuple[str, str], proactive.Holder] = {}
    for item in ClaimItem.objects.filter(held=True, kind__in=kinds).select_related("claim"):
        claims[item.claim_id] = item.claim
        held[(item.kind, item.key)] = (item.claim_id, _payee_of(item.claim))
    open_offers = {
        _payee_of(c): c
        for c in Claim.objects.filter(
            clause=clause, origin=ClaimOrigin.OFFER, status=ClaimStatus.OFFERED
        ).select_related("enterprise__area")
    }
    granted = {
        a.holder: a.granted
        for a in Allotment.objects.filter(clause=clause).only("holder", "granted")
    }
    context = proactive.Context(
        held=held,
        open_offers={payee: c.pk for payee, c in open_offers.items()},
        granted={h: g for h, g in granted.items() if not h.startswith("p:")},
        carried=carried,
        paid={h[2:]: g for h, g in granted.items() if h.startswith("p:")},
    )
    try:
        planned = proactive.plan(clause, cols, context, params, on)
    except NotInForce as e:
        raise rule_refusal(not_in_force_error(e)) from e
    except RuleError as e:
        raise rule_refusal(e) from e
    versions = (
        proactive.versions_used(clause, params, on)
        if any(p.explanation is None for p in planned)
        else {}
    )
    payees = inputs.enterprise_payees({p[1] for p in set(cols.payee) if p[0] == "e"})
    now = timezone.now()
    to_create: list[Claim] = []
    to_update: list[Claim] = []
    for p in planned:
        offer = open_offers.get(p.payee)
        payee = p.payee
        claim = offer or Claim(
            clause=clause,
            origin=ClaimOrigin.OFFER,
            status=ClaimStatus.OFFERED,
            enterprise_id=payee[1] if payee[0] == "e" else None,
            introducer_id=payee[1] if payee[0] == "i" else None,
            payee_name=payees[payee[1]][0] if payee[0] == "e" else p.name,
            created_by=actor,
        )
        claim.relevant_date, claim.params_known_at = on, now
        claim.computed_amount = p.amount
        if p.explanation is None:
            # Rendered when the offer is read, from its rows read again by id, its inputs and
            # these parameter versions.
            claim.inputs = {**p.inputs(), "versions": versions}
            claim.explanation = {}
        else:
            claim.inputs = p.inputs()
            claim.explanation = p.explanation.as_dict()
        (to_update if offer else to_create).append(claim)
    Claim.objects.bulk_create(to_create, batch_size=2000)
    Claim.objects.bulk_update(
        to_update,
        ["relevant_date", "params_known_at", "inputs", "computed_amount", "explanation"],
        batch_size=2000,
    )
    made = {_payee_of(c): c for c in to_create + to_update}

    def claim_of(holder: proactive.Holder) -> Claim | None:
        return made.get(holder[1]) if holder[0] is None else claims.get(holder[0])

    ClaimItem.objects.filter(claim__in=[c.pk for c in to_update]).delete()
    ClaimItem.objects.bulk_create(
        (
            ClaimItem(claim=made[p.payee], kind=k, key=key, ref_id=ref)
            for p in planned
            for k, key, ref in p.items
        ),
        batch_size=5000,
    )
    duplicates = [
        DuplicateClaim(claim=made[p.payee], kind=k, key=key, ref_id=ref, first_claim=first)
        for p in planned
        for k, key, ref, holder in p.dups
        if (first := claim_of(holder)) is not None and first.pk is not None
    ]
    DuplicateClaim.objects.bulk_create(duplicates, batch_size=5000)
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
