"""Stocktakes: an adjustment proposed from a count and decided by the supplies group, and the
opening stocktake posted from an imported spreadsheet. Both post through the ledger's
``post_entry``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.scoping import Permission
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.supplies.access import require_holder
from dualtrack.supplies.models import (
    AdjustmentStatus,
    Entry,
    EntryKind,
    Holder,
    Item,
    StocktakeAdjustment,
)
from dualtrack.supplies.selectors import balance_of
from dualtrack.supplies.services.ledger import (
    MAX_QUANTITY,
    new_voucher_no,
    post_entry,
    short_text,
)


def adjustment_propose(
    *, actor: User, holder: Holder, item: Item, counted: object, reason: str
) -> StocktakeAdjustment:
    """A stocktake found a different quantity: propose the adjustment, with its reason, for the
    supplies group to approve. Nothing moves on the books until then."""
    require_holder(user=actor, holder=holder, permission=Permission.KEEP_LEDGER)
    try:
        counted_number = int(str(counted).strip())
    except (TypeError, ValueError):
        counted_number = -1
    if counted_number < 0 or counted_number > MAX_QUANTITY:
        raise ValidationFailed.for_field(
            "counted", _("Enter the counted quantity, zero or more."), code="counted_invalid"
        )
    reason = short_text("reason", reason, 200)
    if not reason:
        raise ValidationFailed.for_field(
            "reason", _("Give the reason for the adjustment."), code="reason_required"
        )
    book = balance_of(holder=holder, item=item)
    if counted_number == book:
        raise ValidationFailed.for_field(
            "counted",
            _("The count equals the book balance: nothing to adjust."),
            code="nothing_to_adjust",
        )
    with transaction.atomic():
        adjustment = StocktakeAdjustment.objects.create(
            holder=holder,
            item=item,
            counted=counted_number,
            book=book,
            reason=reason,
            proposed_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=adjustment,
            area_code=holder.area.code,
            after=snapshot(adjustment),
        )
    return adjustment


def adjustment_decide(
    *, actor: User, adjustment: StocktakeAdjustment, approve: bool, note: str = ""
) -> StocktakeAdjustment:
    """The supplies group approves (posting the difference as an adjusting entry, with the
    approver) or refuses a proposed stocktake adjustment."""
    require_holder(user=actor, holder=adjustment.holder, permission=Permission.MANAGE_SUPPLIES)
    note = short_text("note", note, 200)
    if not approve and not note:
        raise ValidationFailed.for_field(
            "note", _("Give the reason for the refusal."), code="reason_required"
        )
    with transaction.atomic():
        locked = (
            StocktakeAdjustment.objects.select_for_update()
            .select_related("holder__area", "item")
            .get(pk=adjustment.pk)
        )
        if locked.status != AdjustmentStatus.PENDING:
            raise Conflict(_("This adjustment has already been decided."), code="already_decided")
        before = snapshot(locked)
        if approve:
            on = timezone.localdate()
            # The difference found at the count, applied now: issues recorded since the count
            # are already on the books and stay there.
            locked.entry = post_entry(
                holder=locked.holder,
                item=locked.item,
                kind=EntryKind.ADJUSTMENT,
                quantity=locked.difference,
                occurred_on=on,
                voucher_no=new_voucher_no("PD", on),
                handler=locked.proposed_by,
                approver=actor,
                reason=locked.reason,
                counterparty=_("stocktake"),
            )
        locked.status = AdjustmentStatus.APPROVED if approve else AdjustmentStatus.REFUSED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.save(update_fields=["entry", "status", "decided_by", "decided_at", "decision_note"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=locked.holder.area.code,
            before=before,
            after=snapshot(locked),
        )
    return locked


# --- The opening stocktake, imported from a spreadsheet -----------------------------------------


@dataclass(frozen=True)
class OpeningLine:
    row: int
    item: Item
    quantity: int


def opening_stock_post(
    *, actor: User, holder: Holder, lines: list[OpeningLine], occurred_on: datetime.date
) -> list[Entry]:
    """Post validated opening lines in one transaction: all or nothing."""
    require_holder(user=actor, holder=holder, permission=Permission.KEEP_LEDGER)
    voucher_no = new_voucher_no("QC", occurred_on)
    with transaction.atomic():
        already = set(
            Entry.objects.filter(holder=holder, item__in=[line.item for line in lines])
            .values_list("item__name", flat=True)
            .distinct()
        )
        if already:
            raise Conflict(
                _("These items already have entries for this holder: %(items)s.")
                % {"items": "、".join(sorted(already))},
                code="opening_exists",
            )
        entries = [
            post_entry(
                holder=holder,
                item=line.item,
                kind=EntryKind.OPENING,
                quantity=line.quantity,
                occurred_on=occurred_on,
                voucher_no=voucher_no,
                handler=actor,
                counterparty=_("opening stocktake"),
            )
            for line in lines
        ]
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            instance=holder,
            area_code=holder.area.code,
            note=f"opening stocktake {voucher_no}: {len(entries)} lines",
        )
    return entries
