"""Transfers, requests and allocation: the books balance at every step."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from dualtrack.areas.models import Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import User
from dualtrack.supplies.allocation import FULL, NONE, SHARE, Need, propose
from dualtrack.supplies.models import (
    Balance,
    Entry,
    EntryKind,
    RequestStatus,
    Transfer,
    TransferStatus,
)
from dualtrack.supplies.selectors import balance_of
from dualtrack.supplies.services.allocations import (
    allocation_confirm,
    allocation_propose,
    explain,
)
from dualtrack.supplies.services.requests import request_decide, request_submit
from dualtrack.supplies.services.transfers import LineIn, transfer_receive, transfer_send

pytestmark = pytest.mark.django_db


def _books_agree() -> None:
    for balance in Balance.objects.all():
        total = Entry.objects.filter(holder=balance.holder, item=balance.item).aggregate(
            s=Sum("quantity")
        )["s"]
        assert balance.quantity == total


def _send(s, quantity=100):
    return transfer_send(
        actor=s.manager, source=s.store, destination=s.village, lines=[LineIn(s.n95, quantity)]
    )


def test_a_transfer_is_in_transit_until_the_receiver_confirms(stocked, personas):
    s = stocked
    transfer = _send(s)
    assert transfer.status == TransferStatus.IN_TRANSIT
    assert balance_of(holder=s.store, item=s.n95) == 900
    assert balance_of(holder=s.village, item=s.n95) == 0
    done = transfer_receive(actor=personas.village_cadre, transfer=transfer)
    assert done.status == TransferStatus.RECEIVED and done.received_by == personas.village_cadre
    assert balance_of(holder=s.village, item=s.n95) == 100
    _books_agree()


def test_a_short_delivery_records_the_difference_and_its_reason(stocked, personas):
    s = stocked
    transfer = _send(s)
    transfer_receive(
        actor=personas.village_cadre,
        transfer=transfer,
        received={s.n95.pk: 90},
        reasons={s.n95.pk: "运输途中破损"},
    )
    assert balance_of(holder=s.village, item=s.n95) == 90
    shortfall = Entry.objects.get(transfer=transfer, kind=EntryKind.SHORTFALL)
    assert shortfall.quantity == -10 and shortfall.reason == "运输途中破损"
    line = transfer.lines.get()
    assert (line.quantity_received, line.shortfall) == (90, 10)
    # Every unit sent is accounted for: out at the store = in at the village, short included.
    sent = -Entry.objects.get(transfer=transfer, kind=EntryKind.TRANSFER_OUT).quantity
    received_in = Entry.objects.get(transfer=transfer, kind=EntryKind.TRANSFER_IN).quantity
    assert sent == received_in == 100
    _books_agree()


def test_a_shortfall_without_reason_is_refused(stocked, personas):
    transfer = _send(stocked)
    with pytest.raises(ValidationFailed) as exc:
        transfer_receive(
            actor=personas.village_cadre, transfer=transfer, received={stocked.n95.pk: 90}
        )
    assert exc.value.errors[0]["field"] == f"reason.{stocked.n95.pk}"
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.IN_TRANSIT


def test_receiving_more_than_was_sent_is_refused_and_writes_nothing(stocked, personas):
    transfer = _send(stocked)
    before = Entry.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        transfer_receive(
            actor=personas.village_cadre, transfer=transfer, received={stocked.n95.pk: 101}
        )
    assert "100" in exc.value.errors[0]["message"]
    assert Entry.objects.count() == before


def test_confirming_twice_is_refused(stocked, personas):
    transfer = _send(stocked)
    transfer_receive(actor=personas.village_cadre, transfer=transfer)
    before = Entry.objects.count()
    with pytest.raises(Conflict) as exc:
        transfer_receive(actor=personas.village_cadre, transfer=transfer)
    assert exc.value.code == "already_received"
    assert Entry.objects.count() == before


def test_only_the_receiving_side_confirms(stocked, personas):
    transfer = _send(stocked)
    with pytest.raises(PermissionDenied):
        transfer_receive(actor=personas.commander, transfer=transfer)


def test_sending_more_than_the_stock_writes_nothing(stocked):
    before = (Transfer.objects.count(), Entry.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        _send(stocked, 5000)
    assert exc.value.code == "insufficient_stock"
    assert (Transfer.objects.count(), Entry.objects.count()) == before


def test_only_the_supplies_group_sends_from_the_store(stocked, personas):
    with pytest.raises(PermissionDenied):
        transfer_send(
            actor=personas.commander,
            source=stocked.store,
            destination=stocked.village,
            lines=[LineIn(stocked.n95, 1)],
        )
    with pytest.raises(NotFound):  # the store is outside a town's sight
        transfer_send(
            actor=personas.town_officer,
            source=stocked.store,
            destination=stocked.village,
            lines=[LineIn(stocked.n95, 1)],
        )


def test_checkpoint_request_states_staff_shifts_days(stocked, personas):
    s = stocked
    with pytest.raises(ValidationFailed):
        request_submit(
            actor=personas.village_cadre,
            holder=s.checkpoint,
            lines=[LineIn(s.n95, 84)],
            justification="两周用量",
        )
    req = request_submit(
        actor=personas.village_cadre,
        holder=s.checkpoint,
        lines=[LineIn(s.n95, 84)],
        justification="两周用量",
        staff=3,
        shifts=2,
        days=14,
    )
    assert req.person_shifts == 84 and req.status == RequestStatus.PENDING


def test_trimming_and_refusing_need_a_reason(stocked, personas):
    s = stocked
    req = request_submit(
        actor=personas.village_cadre,
        holder=s.village,
        lines=[LineIn(s.n95, 200), LineIn(s.gel, 10)],
        justification="入户排查",
    )
    with pytest.raises(PermissionDenied):
        request_decide(actor=personas.village_cadre, request=req, approve=True)
    with pytest.raises(ValidationFailed):
        request_decide(actor=s.manager, request=req, approve=True, quantities={s.n95.pk: 150})
    with pytest.raises(ValidationFailed):
        request_decide(
            actor=s.manager, request=req, approve=True, quantities={s.n95.pk: 201}, reason="x"
        )
    decided = request_decide(
        actor=s.manager, request=req, approve=True, quantities={s.n95.pk: 150}, reason="库存紧张"
    )
    assert decided.status == RequestStatus.TRIMMED
    assert dict(decided.lines.values_list("item_id", "quantity_approved")) == {
        s.n95.pk: 150,
        s.gel.pk: 10,
    }
    with pytest.raises(Conflict):
        request_decide(actor=s.manager, request=req, approve=False, reason="x")


def _need(line_id, tier, quantity, item=1):
    return Need(line_id, line_id, f"h{line_id}", tier, item, "N95", quantity)


def test_proposal_serves_the_front_line_first_then_shares_by_need():
    needs = [_need(1, 2, 100), _need(2, 1, 50), _need(3, 1, 30), _need(4, 2, 300), _need(5, 3, 9)]
    result = {p.need.line_id: p for p in propose({1: 180}, needs)}
    assert result[2].quantity == 50 and result[2].reason == FULL
    assert result[3].quantity == 30 and result[3].reason == FULL
    # 100 left for tier 2's 400: 25 and 75, in proportion.
    assert (result[1].quantity, result[4].quantity) == (25, 75)
    assert result[1].reason == SHARE and result[1].available == 100
    assert result[5].quantity == 0 and result[5].reason == NONE
    assert sum(p.quantity for p in result.values()) == 180


def test_proposal_hands_out_every_unit_by_largest_remainder():
    needs = [_need(1, 1, 1), _need(2, 1, 1), _need(3, 1, 1)]
    assert [p.quantity for p in propose({1: 2}, needs)] == [1, 1, 0]


def test_allocation_confirms_into_transfers_in_one_step(stocked, personas):
    s = stocked
    village_req = request_submit(
        actor=personas.town_officer,
        holder=s.sibling,
        lines=[LineIn(s.n95, 800)],
        justification="入户",
    )
    gate_req = request_submit(
        actor=personas.village_cadre,
        holder=s.checkpoint,
        lines=[LineIn(s.n95, 600)],
        justification="卡点",
        staff=3,
        shifts=2,
        days=14,
    )
    for req in (village_req, gate_req):
        request_decide(actor=s.manager, request=req, approve=True)
    proposal = {p.need.holder_id: p for p in allocation_propose(actor=s.manager)}
    assert proposal[s.checkpoint.pk].quantity == 600  # front line first
    assert proposal[s.checkpoint.pk].reason == FULL
    assert proposal[s.sibling.pk].quantity == 400  # what is left, for 800 asked
    assert "400" in explain(proposal[s.sibling.pk]) and "800" in explain(proposal[s.sibling.pk])
    # The group trims the village's line before confirming.
    allocation = allocation_confirm(
        actor=s.manager,
        lines=[
            (proposal[s.checkpoint.pk].need.line_id, 600),
            (proposal[s.sibling.pk].need.line_id, 300),
        ],
    )
    assert allocation.transfers.count() == 2
    assert balance_of(holder=s.store, item=s.n95) == 100
    village_req.refresh_from_db()
    gate_req.refresh_from_db()
    assert gate_req.status == RequestStatus.FULFILLED
    assert village_req.status == RequestStatus.APPROVED
    _books_agree()


def test_an_allocation_beyond_stock_or_need_writes_nothing(stocked, personas):
    s = stocked
    req = request_submit(
        actor=personas.village_cadre,
        holder=s.village,
        lines=[LineIn(s.n95, 100)],
        justification="入户",
    )
    request_decide(actor=s.manager, request=req, approve=True)
    line = req.lines.get()
    before = (Transfer.objects.count(), Entry.objects.count())
    with pytest.raises(ValidationFailed):
        allocation_confirm(actor=s.manager, lines=[(line.pk, 101)])
    assert (Transfer.objects.count(), Entry.objects.count()) == before
    with pytest.raises(PermissionDenied):
        allocation_confirm(actor=personas.town_officer, lines=[(line.pk, 1)])


def test_a_town_passes_goods_down_to_its_village(stocked, personas, district):
    s = stocked
    transfer_receive(
        actor=personas.town_officer,
        transfer=transfer_send(
            actor=s.manager, source=s.store, destination=s.town, lines=[LineIn(s.gel, 20)]
        ),
    )
    down = transfer_send(
        actor=personas.town_officer, source=s.town, destination=s.sibling, lines=[LineIn(s.gel, 5)]
    )
    assert balance_of(holder=s.town, item=s.gel) == 15
    with pytest.raises(NotFound):  # 艾溪村's cadre does not see 南山村
        transfer_receive(actor=personas.village_cadre, transfer=down)
    with pytest.raises(NotFound):  # nor send from the town's stock
        transfer_send(
            actor=personas.village_cadre,
            source=s.town,
            destination=s.village,
            lines=[LineIn(s.gel, 1)],
        )
    with pytest.raises(PermissionDenied):  # the sender does not sign for their own goods
        transfer_receive(actor=personas.town_officer, transfer=down)
    sibling_cadre = User.objects.create_user(username="nanshan", password="x")
    role_grant_create(
        actor=personas.district_admin,
        user=sibling_cadre,
        role=Role.VILLAGE_CADRE,
        area=district.sibling_village,
    )
    transfer_receive(actor=sibling_cadre, transfer=down)
    assert balance_of(holder=s.sibling, item=s.gel) == 5
    _books_agree()


def test_a_sender_cannot_sign_for_their_own_transfer(stocked, personas, district_admin):
    """The district administrator keeps every ledger, the store's and the village's: still,
    the one who sent the goods does not confirm they arrived, on the page nor through the API."""
    s = stocked
    transfer = transfer_send(
        actor=district_admin, source=s.store, destination=s.village, lines=[LineIn(s.n95, 10)]
    )
    with pytest.raises(PermissionDenied) as refused:
        transfer_receive(actor=district_admin, transfer=transfer)
    assert refused.value.code == "own_transfer"
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.IN_TRANSIT
    assert balance_of(holder=s.village, item=s.n95) == 0
    transfer_receive(actor=personas.village_cadre, transfer=transfer)
    assert balance_of(holder=s.village, item=s.n95) == 10
