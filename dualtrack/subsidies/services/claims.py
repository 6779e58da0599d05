"""Creating claims: the items a claim counts are held once (the duplicate guard), the amount
and its explanation computed by the rules and frozen with the parameters' recorded-at time."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dualtrack.areas.scoping import ROOT_CODE
from dualtrack.core.audit import audit_record
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.models import Enterprise
from dualtrack.subsidies import selectors
from dualtrack.subsidies.models import (
    Claim,
    ClaimItem,
    ClaimOrigin,
    ClaimStatus,
    DuplicateClaim,
)
from dualtrack.subsidies.rules.base import Result, RuleError
from dualtrack.subsidies.rules.dispatch import compute


@dataclass(frozen=True)
class Item:
    """One thing a claim counts: ``ref`` is the id the inputs name it by (a hire, a ticket…)."""

    ref: int
    kind: str
    key: str


def rule_refusal(e: RuleError) -> ValidationFailed:
    """A rule's refusal as the app's error, in the user's language."""
    return ValidationFailed.for_field(e.field, e.text(get_language() or "zh-hans"), code=e.code)


def holder_of(claim: Claim) -> str:
    return f"e:{claim.enterprise_id}" if claim.enterprise_id else f"i:{claim.introducer_id}"


def area_code_of(claim: Claim) -> str:
    return claim.enterprise.area.code if claim.enterprise else ROOT_CODE


# How a clause's inputs drop the refs another claim already holds: the list they are in.
LISTS = {"recruitment": "hires", "transport": "journeys", "introducer": "introductions"}


def _without(clause: str, inputs: dict[str, Any], refs: set[int]) -> dict[str, Any]:
    key = LISTS.get(clause)
    if key is None or not refs:
        return inputs
    return {**inputs, key: [row for row in inputs[key] if int(row[0]) not in refs]}


def _held_by_others(
    items: Iterable[Item], payee: Callable[[Claim], bool], exclude: int | None
) -> list[tuple[Item, Claim, bool]]:
    """The items already held by another open claim: (item, that claim, same payee?)."""
    by_key = {(i.kind, i.key): i for i in items}
    if not by_key:
        return []
    keys = {k for _, k in by_key}
    held = ClaimItem.objects.filter(held=True, key__in=keys).select_related("claim")
    if exclude is not None:
        held = held.exclude(claim_id=exclude)
    return [
        (by_key[(h.kind, h.key)], h.claim, payee(h.claim))
        for h in held
        if (h.kind, h.key) in by_key
    ]


def claim_store(
    *,
    actor: User | None,
    clause: str,
    origin: str,
    enterprise: Enterprise | None,
    introducer_id: int | None,
    payee_name: str,
    inputs: dict[str, Any],
    items: list[Item],
    on: datetime.date,
    status: str,
    document: Any = None,
    replace: Claim | None = None,
) -> tuple[Claim | None, Result | None]:
    """Compute and store one claim, inside the caller's transaction. Items held by another open
    claim are left out: by the same payee they were counted already; by another payee that is a
    duplicate claim, recorded. A single-item clause whose item is held is refused outright."""

    def same_payee(other: Claim) -> bool:
        return (
            other.clause == clause
            and other.enterprise_id == (enterprise.pk if enterprise else None)
            and other.introducer_id == introducer_id
        )

    taken = _held_by_others(items, same_payee, replace.pk if replace else None)
    if taken and clause not in LISTS:
        item, other, _same = taken[0]
        raise Conflict(
            _("This %(what)s is already claimed (claim %(claim)s).")
            % {"what": item.kind, "claim": other.pk},
            code="duplicate_claim",
        )
    dropped = {item.ref for item, _o, _s in taken}
    inputs = _without(clause, inputs, dropped)
    now = timezone.now()
    params = selectors.parameters()
    holder = f"e:{enterprise.pk}" if enterprise else f"i:{introducer_id}"
    if clause != "transport":
        inputs = {**inputs, "already": str(selectors.granted_to(clause=clause, holder=holder))}
    try:
        result = compute(clause, inputs, params, on)
    except RuleError as e:
        raise rule_refusal(e) from e
    if replace is not None:
        replace.items.all().delete()
        claim = replace
    else:
        if origin == ClaimOrigin.OFFER and not result.eligible:
            return None, result
        claim = Claim(
            clause=clause,
            origin=origin,
            enterprise=enterprise,
            introducer_id=introducer_id,
            payee_name=payee_name,
            created_by=actor,
        )
    claim.status = status
    claim.relevant_date = on
    claim.params_known_at = now
    claim.inputs = inputs
    claim.computed_amount = result.amount
    claim.explanation = result.explanation.as_dict()
    if document is not None:
        claim.document = document
    claim.save()
    counted = {r.id for r in result.counted}
    kept = [i for i in items if i.ref not in dropped and (clause not in LISTS or i.ref in counted)]
    try:
        with transaction.atomic():
            ClaimItem.objects.bulk_create(
                ClaimItem(claim=claim, kind=i.kind, key=i.key, ref_id=i.ref or None) for i in kept
            )
    except IntegrityError as e:
        raise Conflict(
            _("Another claim took one of these items meanwhile; compute again."),
            code="duplicate_claim",
        ) from e
    DuplicateClaim.objects.bulk_create(
        DuplicateClaim(claim=claim, kind=i.kind, key=i.key, ref_id=i.ref, first_claim=other)
        for i, other, same in taken
        if not same
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if replace is None else AuditAction.UPDATE,
        instance=claim,
        area_code=area_code_of(claim),
        after={"amount": str(claim.computed_amount), "status": claim.status},
    )
    return claim, result


def release_items(claim: Claim) -> None:
    """A refused, declined or reversed claim lets go of what it counted."""
    claim.items.filter(held=True).update(held=False)


def offer_confirm(*, actor: User, claim: Claim, bank_name: str, bank_account: str) -> Claim:
    """The enterprise confirms its bank account and that it wants the offer: it goes to
    approval without a form."""
    from dualtrack.subsidies import access

    access.require_own_claim(actor, claim)
    bank_name = (bank_name or "").strip()
    account = "".join((bank_account or "").split())
    errors = []
    if not bank_name or len(bank_name) > 100:
        errors.append({"field": "bank_name", "message": _("Enter the bank's name.")})
    if not account.isdigit() or not 8 <= len(account) <= 34:
        errors.append(
            {"field": "bank_account", "message": _("Enter the account number: 8 to 34 digits.")}
        )
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status != ClaimStatus.OFFERED:
            raise Conflict(_("This offer has already been answered."), code="not_offered")
        locked.bank_name, locked.bank_account = bank_name, account
        locked.confirmed_at = timezone.now()
        locked.status = ClaimStatus.SUBMITTED
        locked.save(update_fields=["bank_name", "bank_account", "confirmed_at", "status"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=area_code_of(locked),
            after={"status": locked.status, "bank_account": f"****{account[-4:]}"},
            note="confirmed",
        )
    return locked


def offer_decline(*, actor: User, claim: Claim) -> Claim:
    """The enterprise does not want the offer: it lets go of what it counted."""
    from dualtrack.subsidies import access

    access.require_own_claim(actor, claim)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status != ClaimStatus.OFFERED:
            raise Conflict(_("This offer has already been answered."), code="not_offered")
        locked.status = ClaimStatus.DECLINED
        locked.save(update_fields=["status"])
        release_items(locked)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=area_code_of(locked),
            after={"status": locked.status},
        )
    return locked
