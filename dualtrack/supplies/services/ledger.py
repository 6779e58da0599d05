"""The ledger (台账): append-only entries and the balances maintained beside them.

Every write goes through ``post_entry``, which changes the holder×item balance and appends the
entry in the caller's transaction. A decrease is one conditional UPDATE
(``SET quantity = quantity - n WHERE quantity >= n``): two people issuing from the same stock at
once are serialised by the row lock the UPDATE takes, and the second one's condition is checked
against the first one's result, so no update is lost and no balance goes below zero. The CHECK
constraint ``balance_not_negative`` is the backstop.
"""

from __future__ import annotations

import datetime
import functools
import secrets

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.scoping import Permission
from dualtrack.core import sql
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.supplies.access import require_holder
from dualtrack.supplies.models import (
    RECEIPT_KINDS,
    Balance,
    Entry,
    EntryKind,
    Holder,
    Item,
    Transfer,
)

MAX_QUANTITY = 10_000_000
VOUCHER_PREFIX: dict[str, str] = {
    EntryKind.OPENING: "QC",
    EntryKind.PURCHASE: "RK",
    EntryKind.DONATION: "JZ",
    EntryKind.ALLOCATION: "DB",
    EntryKind.CONSUMPTION: "LY",
    EntryKind.ADJUSTMENT: "PD",
    EntryKind.REVERSAL: "CZ",
}


class InsufficientStock(ValidationFailed):
    code = "insufficient_stock"


def new_voucher_no(prefix: str, on: datetime.date | None = None) -> str:
    """A voucher number such as RK20200201-7F3A9C1D: prefix, date, random suffix."""
    on = on or timezone.localdate()
    return f"{prefix}{on:%Y%m%d}-{secrets.token_hex(4).upper()}"


def clean_quantity(value: object, field: str = "quantity") -> int:
    """A positive whole number of the item's unit, or a clear refusal."""
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip()) if value is not None else None
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip().lstrip("+"):
        raise ValidationFailed.for_field(
            field, _("Enter a whole number of the item's unit."), code="quantity_not_integer"
        )
    if number <= 0:
        raise ValidationFailed.for_field(
            field, _("The quantity must be greater than zero."), code="quantity_not_positive"
        )
    if number > MAX_QUANTITY:
        raise ValidationFailed.for_field(
            field, _("The quantity is implausibly large."), code="quantity_too_large"
        )
    return number


def clean_date(value: datetime.date | None, field: str = "occurred_on") -> datetime.date:
    today = timezone.localdate()
    if value is None:
        return today
    if value > today:
        raise ValidationFailed.for_field(
            field, _("The date cannot be in the future."), code="date_in_future"
        )
    return value


def short_text(field: str, value: str, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationFailed.for_field(
            field, _("At most %(n)s characters.") % {"n": max_length}, code="too_long"
        )
    return value


@functools.cache
def _move_statement() -> str:
    """The conditional UPDATE of one balance, built once from the model's metadata."""
    meta = Balance._meta
    qn = connection.ops.quote_name

    def column(name: str) -> str:
        return qn(str(meta.get_field(name).column))  # type: ignore[union-attr]

    quantity = column("quantity")
    return (
        f"UPDATE {qn(meta.db_table)} SET {quantity} = {quantity} + %s, "  # noqa: S608 - names from _meta
        f"{column('updated_at')} = %s "
        f"WHERE {column('holder')} = %s AND {column('item')} = %s AND {quantity} + %s >= 0 "
        f"RETURNING {quantity}"
    )


def _move(holder_id: int, item_id: int, delta: int) -> int | None:
    """The conditional UPDATE: one statement that changes the balance only if it stays at or
    above zero, and returns the new quantity (None: no row, or not enough). By hand (see
    core.sql): every receipt, issue and transfer line runs it."""
    updated_at = Balance._meta.get_field("updated_at")
    now = updated_at.get_db_prep_save(timezone.now(), connection)
    row = sql.fetch_one(_move_statement(), [delta, now, holder_id, item_id, delta])
    return None if row is None else int(row[0])


def apply_delta(*, holder_id: int, item_id: int, delta: int, item: Item | None = None) -> int:
    """Change one balance by ``delta`` and return the new quantity; refuse to go below zero.

    Call inside a transaction: the UPDATE's row lock is held until it commits, and a second
    issuer's UPDATE waits for it, then tests its condition against the committed quantity."""
    quantity = _move(holder_id, item_id, delta)
    if quantity is not None:
        return quantity
    if delta < 0:
        have = (
            Balance.objects.filter(holder_id=holder_id, item_id=item_id)
            .values_list("quantity", flat=True)
            .first()
            or 0
        )
        name = item.name if item else str(item_id)
        raise InsufficientStock.for_field(
            "quantity",
            _("Only %(have)s of %(item)s in stock; %(want)s cannot be issued.")
            % {"have": have, "item": name, "want": -delta},
            code="insufficient_stock",
        )
    try:
        with transaction.atomic():
            Balance.objects.create(holder_id=holder_id, item_id=item_id, quantity=delta)
        return delta
    except IntegrityError:
        # Another transaction created the row first: add to it instead.
        quantity = _move(holder_id, item_id, delta)
        assert quantity is not None
        return quantity


def post_entry(
    *,
    holder: Holder,
    item: Item,
    kind: str,
    quantity: int,
    occurred_on: datetime.date,
    voucher_no: str,
    handler: User | None,
    counterparty: str = "",
    counterparty_holder: Holder | None = None,
    reason: str = "",
    approver: User | None = None,
    transfer: Transfer | None = None,
    reverses: Entry | None = None,
) -> Entry:
    """Append one entry and move its balance (signed ``quantity``), in the caller's transaction."""
    assert quantity != 0
    balance_after = apply_delta(holder_id=holder.pk, item_id=item.pk, delta=quantity, item=item)
    return Entry.objects.create(
        holder=holder,
        item=item,
        kind=kind,
        quantity=quantity,
        balance_after=balance_after,
        occurred_on=occurred_on,
        voucher_no=voucher_no,
        counterparty=counterparty[:200],
        counterparty_holder=counterparty_holder,
        handler=handler,
        approver=approver,
        reason=reason[:200],
        transfer=transfer,
        reverses=reverses,
    )


def _post_once(*, voucher_given: bool, **fields: object) -> Entry:
    """Post an entry whose voucher number identifies it: a retry of the same voucher (same
    holder, item, kind and quantity) returns the entry already posted instead of a second one;
    the same voucher with another quantity is refused."""
    keys = {k: fields[k] for k in ("holder", "item", "kind", "voucher_no")}

    def existing() -> Entry | None:
        if not voucher_given:
            return None
        found = Entry.objects.filter(**keys).first()
        if found is not None and found.quantity != fields["quantity"]:
            raise Conflict(
                _("Voucher %(v)s was already posted for this item with another quantity.")
                % {"v": fields["voucher_no"]},
                code="voucher_reused",
            )
        return found

    found = existing()
    if found is not None:
        return found
    for attempt in range(3):
        try:
            with transaction.atomic():
                entry = post_entry(**fields)  # type: ignore[arg-type]
                _audit(fields["handler"], entry)  # type: ignore[arg-type]
                return entry
        except IntegrityError:
            if voucher_given:
                # A concurrent retry of the same voucher committed first.
                found = existing()
                if found is None:
                    raise
                return found
            if attempt == 2:
                raise
            # A generated number drawn twice (one in 4 billion a day): draw another.
            fields["voucher_no"] = new_voucher_no(
                str(fields["voucher_no"])[:2],
                fields["occurred_on"],  # type: ignore[arg-type]
            )
    raise AssertionError("unreachable")


def _audit(actor: User | None, entry: Entry, note: str = "") -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=entry,
        area_code=entry.holder.area.code,
        after=snapshot(entry),
        note=note,
    )


def receipt_record(
    *,
    actor: User,
    holder: Holder,
    item: Item,
    kind: str,
    quantity: object,
    counterparty: str,
    occurred_on: datetime.date | None = None,
    voucher_no: str = "",
) -> Entry:
    """Goods in: a purchase (counterparty = supplier), a donation (donor) or an allocation from
    above (the sending authority)."""
    require_holder(user=actor, holder=holder, permission=Permission.KEEP_LEDGER)
    if kind not in RECEIPT_KINDS:
        raise ValidationFailed.for_field(
            "kind", _("Choose purchase, donation or allocation from above."), code="kind_unknown"
        )
    amount = clean_quantity(quantity)
    counterparty = short_text("counterparty", counterparty, 200)
    if not counterparty:
        raise ValidationFailed.for_field(
            "counterparty",
            _("Name the supplier, the donor or the allocating authority."),
            code="counterparty_required",
        )
    on = clean_date(occurred_on)
    given = short_text("voucher_no", voucher_no, 40)
    return _post_once(
        voucher_given=bool(given),
        holder=holder,
        item=item,
        kind=kind,
        quantity=amount,
        occurred_on=on,
        voucher_no=given or new_voucher_no(VOUCHER_PREFIX[kind], on),
        handler=actor,
        counterparty=counterparty,
    )


def consumption_record(
    *,
    actor: User,
    holder: Holder,
    item: Item,
    quantity: object,
    occurred_on: datetime.date | None = None,
    purpose: str = "",
    voucher_no: str = "",
) -> Entry:
    """Goods used (issued to staff, handed out): refused if more than the balance."""
    require_holder(user=actor, holder=holder, permission=Permission.KEEP_LEDGER)
    amount = clean_quantity(quantity)
    on = clean_date(occurred_on)
    purpose = short_text("purpose", purpose, 200)
    given = short_text("voucher_no", voucher_no, 40)
    return _post_once(
        voucher_given=bool(given),
        holder=holder,
        item=item,
        kind=EntryKind.CONSUMPTION,
        quantity=-amount,
        occurred_on=on,
        voucher_no=given or new_voucher_no("LY", on),
        handler=actor,
        counterparty=purpose,
    )


REVERSIBLE_KINDS = (*RECEIPT_KINDS, EntryKind.CONSUMPTION, EntryKind.ADJUSTMENT, EntryKind.OPENING)


def entry_reverse(*, actor: User, entry: Entry, reason: str) -> Entry:
    """Correct an entry by a reversing one (the ledger is never edited). Transfer entries are
    corrected by another transfer, not reversed."""
    require_holder(user=actor, holder=entry.holder, permission=Permission.KEEP_LEDGER)
    reason = short_text("reason", reason, 200)
    if not reason:
        raise ValidationFailed.for_field(
            "reason", _("Give the reason for the correction."), code="reason_required"
        )
    if entry.kind not in REVERSIBLE_KINDS:
        raise Conflict(
            _("Entries of transfers and reversals cannot be reversed."),
            code="entry_not_reversible",
        )
    with transaction.atomic():
        if Entry.objects.select_for_update().filter(reverses=entry).exists():
            raise Conflict(_("This entry has already been reversed."), code="already_reversed")
        on = timezone.localdate()
        try:
            with transaction.atomic():
                reversal = post_entry(
                    holder=entry.holder,
                    item=entry.item,
                    kind=EntryKind.REVERSAL,
                    quantity=-entry.quantity,
                    occurred_on=on,
                    voucher_no=new_voucher_no("CZ", on),
                    handler=actor,
                    counterparty=entry.voucher_no,
                    reason=reason,
                    reverses=entry,
                )
        except IntegrityError as exc:
            raise Conflict(
                _("This entry has already been reversed."), code="already_reversed"
            ) from exc
        _audit(actor, reversal)
    return reversal
