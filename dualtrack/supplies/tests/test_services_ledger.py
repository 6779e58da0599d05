"""The ledger: balances maintained with their entries, never negative, corrections by reversal."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from dualtrack.checkpoints.models import Checkpoint
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.supplies.models import Balance, Entry, EntryKind, Holder, HolderKind
from dualtrack.supplies.selectors import balance_of
from dualtrack.supplies.services.catalogue import holders_sync
from dualtrack.supplies.services.ledger import (
    consumption_record,
    entry_reverse,
    receipt_record,
)
from dualtrack.supplies.services.stocktakes import adjustment_decide, adjustment_propose

pytestmark = pytest.mark.django_db


def _books_agree() -> None:
    for balance in Balance.objects.all():
        total = Entry.objects.filter(holder=balance.holder, item=balance.item).aggregate(
            s=Sum("quantity")
        )["s"]
        assert balance.quantity == total


def test_receipt_and_consumption_move_the_balance(stocked):
    s = stocked
    assert balance_of(holder=s.store, item=s.n95) == 1000
    entry = consumption_record(actor=s.manager, holder=s.store, item=s.n95, quantity=30)
    assert entry.quantity == -30 and entry.balance_after == 970
    assert balance_of(holder=s.store, item=s.n95) == 970
    _books_agree()


@pytest.mark.parametrize("quantity", [0, -5, "abc", 1.5, None])
def test_zero_negative_or_non_integer_quantities_are_refused(stocked, quantity):
    before = Entry.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        consumption_record(
            actor=stocked.manager, holder=stocked.store, item=stocked.n95, quantity=quantity
        )
    assert exc.value.errors[0]["field"] == "quantity"
    assert Entry.objects.count() == before


def test_issuing_more_than_the_balance_is_refused_and_writes_nothing(stocked):
    s = stocked
    before = Entry.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        consumption_record(actor=s.manager, holder=s.store, item=s.n95, quantity=1001)
    assert exc.value.code == "insufficient_stock"
    assert "1000" in str(exc.value.message)
    assert Entry.objects.count() == before
    assert balance_of(holder=s.store, item=s.n95) == 1000


def test_receipt_needs_a_counterparty_and_a_known_kind(stocked):
    s = stocked
    with pytest.raises(ValidationFailed):
        receipt_record(
            actor=s.manager,
            holder=s.store,
            item=s.n95,
            kind="purchase",
            quantity=5,
            counterparty=" ",
        )
    with pytest.raises(ValidationFailed):
        receipt_record(
            actor=s.manager,
            holder=s.store,
            item=s.n95,
            kind="transfer_in",
            quantity=5,
            counterparty="x",
        )


def test_a_reversal_corrects_an_entry_once(stocked):
    s = stocked
    entry = consumption_record(actor=s.manager, holder=s.store, item=s.n95, quantity=40)
    reversal = entry_reverse(actor=s.manager, entry=entry, reason="录入错误")
    assert reversal.kind == EntryKind.REVERSAL and reversal.quantity == 40
    assert balance_of(holder=s.store, item=s.n95) == 1000
    with pytest.raises(Conflict):
        entry_reverse(actor=s.manager, entry=entry, reason="再次")
    _books_agree()


def test_reversing_a_receipt_whose_goods_are_gone_is_refused(stocked):
    s = stocked
    receipt = Entry.objects.get(holder=s.store, item=s.gel)
    consumption_record(actor=s.manager, holder=s.store, item=s.gel, quantity=150)
    with pytest.raises(ValidationFailed):
        entry_reverse(actor=s.manager, entry=receipt, reason="退货")
    assert balance_of(holder=s.store, item=s.gel) == 50


def test_stocktake_adjustment_is_posted_only_when_approved(stocked, personas):
    s = stocked
    receipt_record(
        actor=personas.village_cadre,
        holder=s.village,
        item=s.n95,
        kind="donation",
        quantity=100,
        counterparty="村民捐赠",
    )
    proposal = adjustment_propose(
        actor=personas.village_cadre, holder=s.village, item=s.n95, counted=96, reason="盘亏：破损"
    )
    assert (proposal.book, proposal.difference) == (100, -4)
    assert balance_of(holder=s.village, item=s.n95) == 100  # nothing moves yet
    with pytest.raises(PermissionDenied):
        adjustment_decide(actor=personas.village_cadre, adjustment=proposal, approve=True)
    decided = adjustment_decide(actor=s.manager, adjustment=proposal, approve=True)
    assert decided.entry.quantity == -4 and decided.entry.approver == s.manager
    assert decided.entry.handler == personas.village_cadre and decided.entry.reason == "盘亏：破损"
    assert balance_of(holder=s.village, item=s.n95) == 96
    with pytest.raises(Conflict):
        adjustment_decide(actor=s.manager, adjustment=proposal, approve=False, note="x")
    _books_agree()


def test_stocktake_adjustment_refusal_needs_a_note_and_posts_nothing(stocked):
    s = stocked
    proposal = adjustment_propose(
        actor=s.manager, holder=s.store, item=s.n95, counted=1010, reason="盘盈"
    )
    with pytest.raises(ValidationFailed):
        adjustment_decide(actor=s.manager, adjustment=proposal, approve=False)
    refused = adjustment_decide(
        actor=s.manager, adjustment=proposal, approve=False, note="复盘无误"
    )
    assert refused.status == "refused" and refused.entry is None
    assert balance_of(holder=s.store, item=s.n95) == 1000


def test_adjustment_equal_to_the_books_or_without_reason_is_refused(stocked):
    s = stocked
    with pytest.raises(ValidationFailed):
        adjustment_propose(actor=s.manager, holder=s.store, item=s.n95, counted=1000, reason="x")
    with pytest.raises(ValidationFailed):
        adjustment_propose(actor=s.manager, holder=s.store, item=s.n95, counted=990, reason=" ")
    with pytest.raises(ValidationFailed):
        adjustment_propose(actor=s.manager, holder=s.store, item=s.n95, counted=-1, reason="x")


def test_ledger_of_another_village_is_out_of_sight(stocked, personas):
    s = stocked
    with pytest.raises(NotFound):
        receipt_record(
            actor=personas.village_cadre,
            holder=s.sibling,
            item=s.n95,
            kind="donation",
            quantity=10,
            counterparty="x",
        )
    with pytest.raises(NotFound):
        consumption_record(actor=personas.village_cadre, holder=s.store, item=s.n95, quantity=1)


def test_enterprise_login_keeps_its_own_ledger_only(stocked):
    s = stocked
    receipt_record(
        actor=s.enterprise_user,
        holder=s.enterprise,
        item=s.n95,
        kind="purchase",
        quantity=50,
        counterparty="供应商",
    )
    with pytest.raises(NotFound):
        receipt_record(
            actor=s.enterprise_user,
            holder=s.other_enterprise,
            item=s.n95,
            kind="purchase",
            quantity=50,
            counterparty="供应商",
        )


def test_a_retried_voucher_posts_once(stocked):
    s = stocked
    first = consumption_record(
        actor=s.manager, holder=s.store, item=s.n95, quantity=30, voucher_no="LY-0001"
    )
    again = consumption_record(
        actor=s.manager, holder=s.store, item=s.n95, quantity=30, voucher_no="LY-0001"
    )
    assert again.pk == first.pk
    assert balance_of(holder=s.store, item=s.n95) == 970
    with pytest.raises(Conflict) as exc:
        consumption_record(
            actor=s.manager, holder=s.store, item=s.n95, quantity=31, voucher_no="LY-0001"
        )
    assert exc.value.code == "voucher_reused"
    # The same voucher for another item is another line of the same paper voucher.
    consumption_record(
        actor=s.manager, holder=s.store, item=s.gel, quantity=1, voucher_no="LY-0001"
    )
    _books_agree()


def test_holders_sync_adds_every_checkpoint_once(district):
    gate = Checkpoint.objects.create(area=district.village, name="北卡点")
    holders_sync()
    holders_sync()
    assert Holder.objects.filter(checkpoint=gate, area=district.village).count() == 1
    assert Holder.objects.filter(kind=HolderKind.VILLAGE).count() == 3
