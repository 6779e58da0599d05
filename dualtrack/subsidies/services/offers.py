"""Proactive offers (免申即享): for every enterprise (and introducer) the platform computes what
it may get under the clauses whose inputs it already holds — hires, tickets, introductions —
with no form. A payee's open offer is recomputed in place; what its earlier claims counted is
not counted again; a worker's hire, a ticket or an introduced worker another payee's open claim
holds is a duplicate claim, recorded. One transaction; bulk reads and writes."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
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


class _Field(Sequence[Any]):
    """One field of the records read, taken from its record when asked: the labels and routes,
    which only the rows of the per-payee path name."""

    def __init__(self, rows: list[tuple[Any, ...]], field: int) -> None:
        self.rows, self.field = rows, field

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: Any) -> Any:
        return self.rows[i][self.field]


def _fields(rows: list[tuple[Any, ...]], *fields: int) -> list[list[Any]]:
    return [list(map(itemgetter(k), rows)) for k in fields]


def hire_columns(rows: list[tuple[Any, ...]]) -> proactive.Columns:
    """New hires (tuples of ``inputs.HIRE_FIELDS``) as the recruitment subsidy's columns."""
    cols = proactive.Columns("recruitment")
    cols.ids, cols.payee, cols.person, cols.days = _fields(rows, 0, 1, 2, 3)
    cols.labels = _Field(rows, 4)
    return cols


def ticket_columns(rows: list[tuple[Any, ...]]) -> proactive.Columns:
    """Self-travel tickets (tuples of ``inputs.TICKET_FIELDS``) as the transport subsidy's
    columns."""
    cols = proactive.Columns("transport")
    cols.ids, cols.payee, cols.person, cols.fare, cols.days = _fields(rows, 0, 1, 2, 4, 5)
    cols.route, cols.labels = _Field(rows, 3), _Field(rows, 6)
    return cols


def _columns(clause: str, since: datetime.date) -> proactive.Columns:
    """The clause's records, read in bulk, as columns (one entry per record)."""
    if clause == "recruitment":
        return hire_columns(inputs.new_hires(since=since))
    if clause == "transport":
        return ticket_columns(inputs.tickets(since=since))
    intros = inputs.hired_introductions()
    cols = proactive.Columns(clause, payee_kind="i")
    cols.payee = [i.introducer_id for i in intros]
    cols.ids = [i.id for i in intros]
    cols.days = [i.hired_on for i in intros]
    cols.labels = [i.name for i in intros]
    cols.person = [i.digest for i in intros]
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
    kinds = {proactive.OWN_KIND[clause]} | ({"journey"} if clause == "transport" else set())
    carried: frozenset[tuple[str, str]] = frozenset()
    if clause == "transport":
        carried = frozenset((p, d.isoformat()) for p, d in inputs.carried(since=since))
    held: dict[tuple[str, str], proactive.Holder] = {
        (kind, key): (claim_id, ("e", firm) if firm else ("i", introducer or 0))
        for kind, key, claim_id, firm, introducer in ClaimItem.objects.filter(
            held=True, kind__in=kinds
        )
        .values_list("kind", "key", "claim_id", "claim__enterprise_id", "claim__introducer_id")
        .iterator(chunk_size=5000)
    }
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
        result = proactive.plan(clause, cols, context, params, on)
    except NotInForce as e:
        raise rule_refusal(not_in_force_error(e)) from e
    except RuleError as e:
        raise rule_refusal(e) from e
    versions = proactive.versions_used(clause, params, on) if result.fast else {}
    planned = list(result)
    payees = inputs.enterprise_payees(set(cols.payee) if cols.payee_kind == "e" else set())
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

    def claim_of(holder: proactive.Holder) -> int | None:
        if holder[0] is not None:
            return holder[0]
        claim = made.get(holder[1])
        return claim.pk if claim is not None else None

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
        DuplicateClaim(claim=made[p.payee], kind=k, key=key, ref_id=ref, first_claim_id=first)
        for p in planned
        for k, key, ref, holder in p.dups
        if (first := claim_of(holder)) is not None
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
