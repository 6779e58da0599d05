"""Transfers between holders: sent → in transit → received, confirmed by the receiver.

Sending takes the goods off the sender's books (transfer out); while in transit they are on
nobody's. The receiver confirms what arrived: the full quantity sent comes in (transfer in) and
any short delivery goes out again as a shortfall entry with its reason, so that the books of
both sides account for every unit sent.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.scoping import Permission
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.supplies.access import require_holder, require_receive, send_permission
from dualtrack.supplies.models import (
    Allocation,
    EntryKind,
    Holder,
    Item,
    RequestLine,
    Transfer,
    TransferLine,
    TransferStatus,
)
from dualtrack.supplies.services.ledger import (
    clean_date,
    clean_quantity,
    new_voucher_no,
    post_entry,
)


@dataclass(frozen=True)
class LineIn:
    item: Item
    quantity: object
    request_line: RequestLine | None = None


def _clean_lines(lines: Iterable[LineIn]) -> list[tuple[Item, int, RequestLine | None]]:
    cleaned: list[tuple[Item, int, RequestLine | None]] = []
    seen: set[int] = set()
    for index, line in enumerate(lines):
        amount = clean_quantity(line.quantity, field=f"lines.{index}.quantity")
        if line.item.pk in seen:
            raise ValidationFailed.for_field(
                f"lines.{index}.item",
                _("%(item)s appears twice: put it on one line.") % {"item": line.item.name},
                code="item_repeated",
            )
        seen.add(line.item.pk)
        cleaned.append((line.item, amount, line.request_line))
    if not cleaned:
        raise ValidationFailed.for_field("lines", _("Add at least one item."), code="no_lines")
    return cleaned


def send_in_transaction(
    *,
    actor: User,
    source: Holder,
    destination: Holder,
    lines: list[tuple[Item, int, RequestLine | None]],
    sent_on: datetime.date,
    note: str = "",
    allocation: Allocation | None = None,
) -> Transfer:
    """Create a transfer and take its goods off the sender's books; caller holds a transaction."""
    now = timezone.now()
    transfer = Transfer.objects.create(
        voucher_no=new_voucher_no("DB" if allocation else "ZY", sent_on),
        source=source,
        destination=destination,
        allocation=allocation,
        sent_on=sent_on,
        sent_at=now,
        sent_by=actor,
        note=note[:300],
    )
    TransferLine.objects.bulk_create(
        [
            TransferLine(transfer=transfer, item=item, quantity_sent=amount, request_line=rl)
            for item, amount, rl in lines
        ]
    )
    # Items in id order: two transfers from the same store lock its balances in the same order.
    for item, amount, _rl in sorted(lines, key=lambda line: line[0].pk):
        post_entry(
            holder=source,
            item=item,
            kind=EntryKind.TRANSFER_OUT,
            quantity=-amount,
            occurred_on=sent_on,
            voucher_no=transfer.voucher_no,
            handler=actor,
            counterparty=destination.name,
            counterparty_holder=destination,
            transfer=transfer,
        )
    return transfer


def transfer_send(
    *,
    actor: User,
    source: Holder,
    destination: Holder,
    lines: Iterable[LineIn],
    sent_on: datetime.date | None = None,
    note: str = "",
) -> Transfer:
    """Send goods to another holder. From the district store: the supplies group; from any
    other holder: whoever keeps its ledger. The receiver must be in the sender's sight."""
    require_holder(user=actor, holder=source, permission=send_permission(source))
    require_holder(user=actor, holder=destination, permission=Permission.VIEW)
    if source.pk == destination.pk:
        raise ValidationFailed.for_field(
            "destination", _("A holder cannot send to itself."), code="same_holder"
        )
    cleaned = _clean_lines(lines)
    on = clean_date(sent_on, field="sent_on")
    with transaction.atomic():
        transfer = send_in_transaction(
            actor=actor,
            source=source,
            destination=destination,
            lines=cleaned,
            sent_on=on,
            note=(note or "").strip(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=transfer,
            area_code=source.area.code,
            after=snapshot(transfer),
        )
    return transfer


def transfer_receive(
    *,
    actor: User,
    transfer: Transfer,
    received: Mapping[int, object] | None = None,
    reasons: Mapping[int, str] | None = None,
    received_on: datetime.date | None = None,
) -> Transfer:
    """The receiver confirms what arrived, per line (by item id; missing = all that was sent).
    A short line needs a reason; more than was sent, or a second confirmation, is refused, and
    so is the sender's own signature: the receipt is the other side's word on what arrived."""
    require_receive(user=actor, transfer=transfer)
    received = dict(received or {})
    reasons = dict(reasons or {})
    on = clean_date(received_on, field="received_on")
    with transaction.atomic():
        locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.status != TransferStatus.IN_TRANSIT:
            raise Conflict(
                _("This transfer was already confirmed as received."), code="already_received"
            )
        lines = list(locked.lines.select_related("item").order_by("item_id"))
        known = {line.item_id for line in lines}
        unknown = [item_id for item_id in received if item_id not in known]
        if unknown:
            raise ValidationFailed.for_field(
                "received", _("An item that was not sent cannot be received."), code="item_unknown"
            )
        errors: list[dict[str, str]] = []
        plan: list[tuple[TransferLine, int, str]] = []
        for line in lines:
            raw = received.get(line.item_id, line.quantity_sent)
            field = f"received.{line.item_id}"
            try:
                got = int(str(raw).strip())
            except (TypeError, ValueError):
                errors.append({"field": field, "message": str(_("Enter a whole number."))})
                continue
            reason = (reasons.get(line.item_id) or "").strip()[:200]
            if got < 0:
                errors.append(
                    {"field": field, "message": str(_("The quantity cannot be negative."))}
                )
            elif got > line.quantity_sent:
                errors.append(
                    {
                        "field": field,
                        "message": str(
                            _("%(item)s: %(got)s received but only %(sent)s were sent.")
                            % {"item": line.item.name, "got": got, "sent": line.quantity_sent}
                        ),
                    }
                )
            elif got < line.quantity_sent and not reason:
                errors.append(
                    {
                        "field": f"reason.{line.item_id}",
                        "message": str(
                            _("%(item)s: give the reason for the shortfall.")
                            % {"item": line.item.name}
                        ),
                    }
                )
            else:
                plan.append((line, got, reason))
        if errors:
            raise ValidationFailed(
                _("The receipt was not recorded: check the quantities."),
                code="receipt_invalid",
                errors=errors,
            )
        destination = locked.destination
        source = locked.source
        for line, got, reason in plan:
            post_entry(
                holder=destination,
                item=line.item,
                kind=EntryKind.TRANSFER_IN,
                quantity=line.quantity_sent,
                occurred_on=on,
                voucher_no=locked.voucher_no,
                handler=actor,
                counterparty=source.name,
                counterparty_holder=source,
                transfer=locked,
            )
            if got < line.quantity_sent:
                post_entry(
                    holder=destination,
                    item=line.item,
                    kind=EntryKind.SHORTFALL,
                    quantity=got - line.quantity_sent,
                    occurred_on=on,
                    voucher_no=locked.voucher_no,
                    handler=actor,
                    counterparty=source.name,
                    counterparty_holder=source,
                    reason=reason,
                    transfer=locked,
                )
            line.quantity_received = got
            line.shortfall_reason = reason if got < line.quantity_sent else ""
        TransferLine.objects.bulk_update(
            [p[0] for p in plan], ["quantity_received", "shortfall_reason"]
        )
        before = snapshot(locked)
        locked.status = TransferStatus.RECEIVED
        locked.received_at = timezone.now()
        locked.received_by = actor
        try:
            locked.save(update_fields=["status", "received_at", "received_by"])
        except IntegrityError as exc:  # pragma: no cover - guarded by the row lock above
            raise Conflict() from exc
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=destination.area.code,
            before=before,
            after=snapshot(locked),
        )
    return locked
