"""Payment batches and the ledger: approved claims, first approved first, go into a batch for
the finance bureau; the batch is marked paid with the bank's voucher number (a voucher number
is paid once: the database holds it unique); a paid amount is corrected only by a reversing
entry."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.subsidies import access
from dualtrack.subsidies.models import (
    Allotment,
    BatchStatus,
    Budget,
    Claim,
    ClaimStatus,
    LedgerEntry,
    LedgerKind,
    PaymentBatch,
)
from dualtrack.subsidies.services.claims import holder_of, release_items
from dualtrack.subsidies.services.review import fund_waiting, give_back_person_caps

BATCH_LIMIT = 500


def batch_create(*, actor: User, clause: str = "", limit: int = BATCH_LIMIT) -> PaymentBatch:
    """A batch of the approved claims not yet batched, first approved first."""
    access.require_review(actor)
    with transaction.atomic():
        qs = Claim.objects.select_for_update().filter(status=ClaimStatus.APPROVED)
        if clause:
            qs = qs.filter(clause=clause)
        ids = list(qs.order_by("decided_at", "pk").values_list("pk", flat=True)[:limit])
        if not ids:
            raise ValidationFailed(_("No approved claim is waiting for payment."), code="empty")
        now = timezone.now()
        batch = PaymentBatch.objects.create(
            number=f"PB{now:%Y%m%d}-{PaymentBatch.objects.count() + 1:04d}", created_by=actor
        )
        Claim.objects.filter(pk__in=ids).update(batch=batch, status=ClaimStatus.BATCHED)
        batch.total = Claim.objects.filter(batch=batch).aggregate(s=Sum("approved_amount"))["s"]
        batch.save(update_fields=["total"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=batch,
            area_code="GX",
            after={"claims": len(ids), "total": str(batch.total)},
        )
    return batch


def batch_mark_paid(*, actor: User, batch: PaymentBatch, voucher_no: str) -> PaymentBatch:
    """Mark the batch paid under the bank's voucher number: every claim gets its payment entry
    and its amount moves from reserved to spent. A voucher number already used is refused."""
    access.require_review(actor)
    # Separators are not part of the number: "VCH-9" and "vch 9" are one voucher.
    voucher = "".join(ch for ch in (voucher_no or "") if ch not in " -/\t").upper()
    if not voucher or len(voucher) > 40 or not voucher.isalnum():
        raise ValidationFailed.for_field(
            "voucher_no", _("Enter the bank voucher number (letters and digits).")
        )
    used = PaymentBatch.objects.filter(voucher_no=voucher).exclude(pk=batch.pk).first()
    if used is not None:
        raise ValidationFailed.for_field(
            "voucher_no",
            _("This voucher number was already paid, for batch %(number)s.")
            % {"number": used.number},
            code="voucher_paid",
        )
    try:
        with transaction.atomic():
            locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status != BatchStatus.OPEN:
                raise Conflict(_("This batch is already paid."), code="batch_paid")
            now = timezone.now()
            locked.status, locked.voucher_no, locked.paid_at = BatchStatus.PAID, voucher, now
            locked.save(update_fields=["status", "voucher_no", "paid_at"])
            claims = list(locked.claims.select_for_update().order_by("pk"))
            LedgerEntry.objects.bulk_create(
                LedgerEntry(
                    clause=c.clause,
                    enterprise_id=c.enterprise_id,
                    introducer_id=c.introducer_id,
                    claim=c,
                    kind=LedgerKind.PAYMENT,
                    amount=c.amount_due,
                    batch=locked,
                    booked_at=now,
                    booked_by=actor,
                )
                for c in claims
            )
            by_clause: dict[str, Decimal] = {}
            for c in claims:
                by_clause[c.clause] = by_clause.get(c.clause, Decimal(0)) + c.amount_due
            for clause, amount in by_clause.items():
                Budget.objects.filter(clause=clause).update(
                    reserved=F("reserved") - amount, spent=F("spent") + amount
                )
            locked.claims.update(status=ClaimStatus.PAID)
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=locked,
                area_code="GX",
                after={"status": "paid", "voucher_no": voucher},
            )
    except IntegrityError as e:  # the same voucher paid by another request meanwhile
        raise ValidationFailed.for_field(
            "voucher_no", _("This voucher number was already paid."), code="voucher_paid"
        ) from e
    return locked


def payment_reverse(*, actor: User, claim: Claim, reason: str) -> LedgerEntry:
    """Correct a paid claim by a reversing entry (the payment entry stays): the amount goes back
    to the budget and the cap, and the items counted are free to be claimed again."""
    access.require_review_claim(actor, claim)
    reason = (reason or "").strip()[:300]
    if not reason:
        raise ValidationFailed.for_field("reason", _("Give the reason for the reversal."))
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("enterprise__area")
            .get(pk=claim.pk)
        )
        payment = LedgerEntry.objects.filter(claim=locked, kind=LedgerKind.PAYMENT).first()
        if locked.status != ClaimStatus.PAID or payment is None:
            raise Conflict(_("Only a paid claim can be reversed."), code="not_paid")
        entry = LedgerEntry.objects.create(
            clause=locked.clause,
            enterprise_id=locked.enterprise_id,
            introducer_id=locked.introducer_id,
            claim=locked,
            kind=LedgerKind.REVERSAL,
            amount=-payment.amount,
            batch=payment.batch,
            reverses=payment,
            reason=reason,
            booked_at=timezone.now(),
            booked_by=actor,
        )
        Budget.objects.filter(clause=locked.clause).update(spent=F("spent") - payment.amount)
        Allotment.objects.filter(clause=locked.clause, holder=holder_of(locked)).update(
            granted=F("granted") - payment.amount
        )
        give_back_person_caps(locked)
        locked.status = ClaimStatus.REVERSED
        locked.save(update_fields=["status"])
        release_items(locked)
        fund_waiting(locked.clause)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=locked.enterprise.area.code if locked.enterprise else "GX",
            after={"status": locked.status, "reversal": str(entry.amount)},
            note=reason,
        )
    return entry
