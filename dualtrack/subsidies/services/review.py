"""The policy working group's decision on a claim, and the money it moves.

Approval takes the amount from the payee's cap and the clause's budget, each by one conditional
UPDATE (``granted + x <= cap``; ``reserved + spent + x <= total``) so that approvals running at
the same time never pass either together. When the budget runs out the rule is **first
approved, first paid**: an approval the budget cannot cover waits (``waiting``), in the order of
approval, and every release of budget (a refusal, a reversal, a larger budget) funds the queue
from its head, never a later claim before an earlier one."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.subsidies import access, selectors
from dualtrack.subsidies.models import Allotment, Budget, Claim, ClaimStatus
from dualtrack.subsidies.rules.base import RuleError
from dualtrack.subsidies.rules.dispatch import transport_people
from dualtrack.subsidies.rules.money import to_fen
from dualtrack.subsidies.rules.params import NotInForce
from dualtrack.subsidies.services.claims import area_code_of, holder_of, release_items

CAP_PARAMETER = {"recruitment": "cap", "introducer": "cap", "rent": "cap", "loan": "cap"}


def _amount(value: object, computed: Decimal) -> Decimal:
    if value is None or value == "":
        return computed
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as e:
        raise ValidationFailed.for_field("amount", _("Enter an amount in yuan.")) from e
    if not amount.is_finite() or amount <= 0 or amount > computed * 10 + 1:
        raise ValidationFailed.for_field(
            "amount", _("The amount must be positive and plausible."), code="absurd_figure"
        )
    if amount != to_fen(amount):
        raise ValidationFailed.for_field("amount", _("Give the amount to the fen at most."))
    return amount


def _take_cap(claim: Claim, amount: Decimal) -> None:
    """Add ``amount`` to the payee's allotment under the clause, within the cap in force on
    the claim's relevant date; a conditional UPDATE, so two approvals cannot both pass."""
    name = CAP_PARAMETER.get(claim.clause)
    holder = holder_of(claim)
    Allotment.objects.get_or_create(clause=claim.clause, holder=holder)
    qs = Allotment.objects.filter(clause=claim.clause, holder=holder)
    if name is not None:
        try:
            cap = selectors.parameters().value(claim.clause, name, on=claim.relevant_date)
        except NotInForce as e:
            raise Conflict(
                _("The clause is not in force on the claim's date."), code="expired"
            ) from e
        qs = qs.filter(granted__lte=cap - amount)
    if qs.update(granted=F("granted") + amount) != 1:
        granted = selectors.granted_to(clause=claim.clause, holder=holder)
        raise Conflict(
            _("This would pass the cap: %(granted)s yuan granted already.") % {"granted": granted},
            code="cap_exceeded",
        )


def _take_person_caps(claim: Claim) -> dict[str, str]:
    """A transport claim takes each worker's part from the worker's cap (``p:<worker>``), by
    one conditional UPDATE per worker in a fixed order, so that approvals of two enterprises'
    claims, or two claims, paying one worker never pass the cap together. A trimmed approval
    still takes the computed parts (the cap errs on the safe side). The parts are kept with the
    claim, for a refusal or a reversal to give back."""
    if claim.clause != "transport":
        return {}
    params = selectors.parameters(known_at=claim.params_known_at)
    try:
        parts = transport_people(selectors.claim_inputs(claim), params, claim.relevant_date)
        cap = selectors.parameters().value("transport", "person_cap", on=claim.relevant_date)
    except (RuleError, NotInForce) as e:
        raise Conflict(_("The clause is not in force on the claim's date."), code="expired") from e
    taken: dict[str, str] = {}
    for person, part in sorted(parts.items()):
        if part <= 0:
            continue
        holder = f"p:{person}"
        Allotment.objects.get_or_create(clause="transport", holder=holder)
        updated = Allotment.objects.filter(
            clause="transport", holder=holder, granted__lte=cap - part
        ).update(granted=F("granted") + part)
        if updated != 1:
            raise Conflict(
                _("This would pass a worker's transport cap: another claim paid them already."),
                code="cap_exceeded",
            )
        taken[person] = str(part)
    return taken


def give_back_person_caps(claim: Claim) -> None:
    """What a transport claim took from its workers' caps, given back (refusal, reversal)."""
    for person, part in claim.inputs.get("person_granted", {}).items():
        Allotment.objects.filter(clause="transport", holder=f"p:{person}").update(
            granted=F("granted") - Decimal(part)
        )


def _reserve(clause: str, amount: Decimal) -> bool:
    return bool(
        Budget.objects.filter(clause=clause, total__gte=F("reserved") + F("spent") + amount).update(
            reserved=F("reserved") + amount
        )
    )


def fund_waiting(clause: str) -> int:
    """Fund the waiting approvals of ``clause`` from the head of the queue while the budget
    holds them; stop at the first it cannot (first approved, first paid)."""
    funded = 0
    for claim in selectors.waiting_queue(clause=clause).select_for_update():
        if not _reserve(clause, claim.amount_due):
            break
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.APPROVED)
        funded += 1
    return funded


def claim_approve(*, actor: User, claim: Claim, amount: object = None, reason: str = "") -> Claim:
    """Approve at the computed amount, or trim to another with a reason (audited)."""
    access.require_review_claim(actor, claim)
    reason = (reason or "").strip()[:300]
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("enterprise__area")
            .get(pk=claim.pk)
        )
        if locked.status != ClaimStatus.SUBMITTED:
            raise Conflict(_("Only a submitted claim can be decided."), code="not_submitted")
        value = _amount(amount, locked.computed_amount)
        if value != locked.computed_amount and not reason:
            raise ValidationFailed.for_field(
                "reason", _("Give the reason for changing the computed amount."), code="reason"
            )
        if value > locked.computed_amount:
            raise ValidationFailed.for_field(
                "amount", _("The amount cannot exceed the computed amount."), code="over_computed"
            )
        # The clause's budget row, locked: approvals under one clause queue here, so the
        # waiting queue read below and the allotment created on first use are not raced.
        Budget.objects.select_for_update().filter(clause=locked.clause).first()
        _take_cap(locked, value)
        taken = _take_person_caps(locked)
        if taken:
            locked.inputs = {**locked.inputs, "person_granted": taken}
        queue_empty = not selectors.waiting_queue(clause=locked.clause).exists()
        funded = queue_empty and _reserve(locked.clause, value)
        locked.approved_amount = value
        locked.override_reason = reason if value != locked.computed_amount else ""
        locked.status = ClaimStatus.APPROVED if funded else ClaimStatus.WAITING
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=area_code_of(locked),
            before={"computed": str(locked.computed_amount)},
            after={"approved": str(value), "status": locked.status},
            note=reason,
        )
    return locked


def claim_refuse(*, actor: User, claim: Claim, reason: str) -> Claim:
    """Refuse with a reason; an approval refused later gives back its cap and budget."""
    access.require_review_claim(actor, claim)
    reason = (reason or "").strip()[:300]
    if not reason:
        raise ValidationFailed.for_field("reason", _("Give the reason for refusing."))
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("enterprise__area")
            .get(pk=claim.pk)
        )
        if locked.status not in (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.WAITING):
            raise Conflict(_("This claim can no longer be refused."), code="not_refusable")
        before = locked.status
        if before in (ClaimStatus.APPROVED, ClaimStatus.WAITING):
            due = locked.amount_due
            Allotment.objects.filter(clause=locked.clause, holder=holder_of(locked)).update(
                granted=F("granted") - due
            )
            if before == ClaimStatus.APPROVED:
                Budget.objects.filter(clause=locked.clause).update(reserved=F("reserved") - due)
            give_back_person_caps(locked)
        locked.status = ClaimStatus.REFUSED
        locked.refusal_reason = reason
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save()
        release_items(locked)
        if before == ClaimStatus.APPROVED:
            fund_waiting(locked.clause)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=area_code_of(locked),
            before={"status": before},
            after={"status": locked.status},
            note=reason,
        )
    return locked


def budget_set(*, actor: User, clause: str, total: object) -> Budget:
    """Set a clause's budget; never below what is reserved and spent. A larger budget funds
    the waiting approvals, first approved first."""
    access.require_review(actor)
    try:
        value = Decimal(str(total))
    except (InvalidOperation, ValueError) as e:
        raise ValidationFailed.for_field("total", _("Enter an amount in yuan.")) from e
    if not value.is_finite() or value < 0 or value > Decimal("1e12") or value != to_fen(value):
        raise ValidationFailed.for_field(
            "total", _("The amount must be positive and plausible."), code="absurd_figure"
        )
    with transaction.atomic():
        budget, _created = Budget.objects.select_for_update().get_or_create(
            clause=clause, defaults={"total": value}
        )
        if value < budget.reserved + budget.spent:
            raise ValidationFailed.for_field(
                "total", _("The budget cannot be less than what is reserved and spent.")
            )
        before = str(budget.total)
        budget.total = value
        budget.save(update_fields=["total"])
        fund_waiting(clause)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=budget,
            area_code="GX",
            before={"total": before},
            after={"total": str(value)},
        )
    return budget
