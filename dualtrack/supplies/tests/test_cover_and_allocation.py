"""Days of cover count every unit that leaves a holder, an empty shelf is never "no end in
sight", and the allocation tops up the holders below their days of cover, front line first."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dualtrack.core.tests.helpers import accepted_job, starting_jobs
from dualtrack.supplies.figures import balances_for, days_of_cover, low_stock_for
from dualtrack.supplies.models import Transfer
from dualtrack.supplies.selectors import balance_of
from dualtrack.supplies.services.allocations import allocation_propose
from dualtrack.supplies.services.ledger import consumption_record, receipt_record
from dualtrack.supplies.services.transfers import LineIn, transfer_send

pytestmark = pytest.mark.django_db

API = "/api/supplies"


def _cover(user, holder, item):
    return next(c for c in balances_for(user=user, holder=holder) if c.item_id == item.pk)


def test_a_store_that_sent_all_its_stock_out_covers_no_day(client, stocked):
    """The district store showed N95 "0 只 · ∞ 天" on a green bar: a transfer out was not use."""
    s = stocked
    transfer_send(
        actor=s.manager, source=s.store, destination=s.village, lines=[LineIn(s.n95, 1000)]
    )
    cover = _cover(s.manager, s.store, s.n95)
    assert (cover.balance, cover.consumed_7d, cover.days) == (0, 1000, 0.0)
    assert cover.is_low and cover.days_display == "0.0"
    assert any(c.holder_id == s.store.pk for c in low_stock_for(user=s.manager))
    client.force_login(s.manager)
    row = client.get(f"{API}/holders/{s.store.pk}").json()["stock"]
    n95 = next(c for c in row if c["item_id"] == s.n95.pk)
    assert n95["days"] == 0.0 and n95["is_low"] is True


def test_transfers_out_count_as_use(stocked):
    s = stocked
    transfer_send(actor=s.manager, source=s.store, destination=s.village, lines=[LineIn(s.gel, 70)])
    cover = _cover(s.manager, s.store, s.gel)
    # 130 left, 70 gone in 7 days: 10 a day, 13 days.
    assert (cover.balance, cover.consumed_7d, cover.days) == (130, 70, 13.0)


def test_an_empty_shelf_is_never_endless():
    assert days_of_cover(0, 0) == 0.0
    assert days_of_cover(-1, 0) == 0.0
    assert days_of_cover(10, 0) is None


def test_an_empty_shelf_unused_this_week_shows_red_on_the_page(client, stocked):
    s = stocked
    long_ago = timezone.localdate() - datetime.timedelta(days=30)
    receipt_record(
        actor=s.manager,
        holder=s.village,
        item=s.gel,
        kind="purchase",
        quantity=5,
        counterparty="x",
        occurred_on=long_ago,
    )
    consumption_record(
        actor=s.manager, holder=s.village, item=s.gel, quantity=5, occurred_on=long_ago
    )
    client.force_login(s.manager)
    body = client.get(reverse("supplies_holder", args=[s.village.pk])).content.decode()
    assert "∞" not in body
    assert 'data-testid="holder-low-stock"' in body


def test_the_ledger_export_names_an_item_without_movement_in_the_period(client, stocked):
    s = stocked
    long_ago = timezone.localdate() - datetime.timedelta(days=40)
    receipt_record(
        actor=s.manager,
        holder=s.village,
        item=s.gel,
        kind="purchase",
        quantity=12,
        counterparty="x",
        occurred_on=long_ago,
    )
    client.force_login(s.manager)
    since = timezone.localdate() - datetime.timedelta(days=7)
    with starting_jobs():
        response = client.post(
            f"{API}/holders/{s.village.pk}/ledger.xlsx"
            f"?since={since.isoformat()}&until={timezone.localdate().isoformat()}"
        )
    job = accepted_job(client, response)
    sheet = load_workbook(io.BytesIO(client.get(job["result_url"]).content)).active
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] is not None]
    assert rows and {r[1] for r in rows} == {s.gel.name}
    assert [r[4] for r in rows] == [12, 12]


# --- Allocation: top-ups for holders below their days of cover ------------------------------------


def _ran_dry(s, holder, item, *, got, used, days_ago=2):
    on = timezone.localdate() - datetime.timedelta(days=days_ago)
    receipt_record(
        actor=s.manager,
        holder=holder,
        item=item,
        kind="donation",
        quantity=got,
        counterparty="x",
        occurred_on=on,
    )
    consumption_record(actor=s.manager, holder=holder, item=item, quantity=used, occurred_on=on)


def test_the_proposal_tops_up_holders_below_their_days_of_cover(client, stocked):
    """No request was made; the front-line village used 21 bottles this week and has none left:
    the proposal sends it 3 days' worth (9), from the 200 in the store."""
    s = stocked
    _ran_dry(s, s.village, s.gel, got=21, used=21)
    _ran_dry(s, s.sibling, s.gel, got=100, used=7)  # 93 left: 93 days, not low
    proposal = allocation_propose(actor=s.manager)
    assert [(p.need.holder_id, p.need.item_id, p.need.line_id) for p in proposal] == [
        (s.village.pk, s.gel.pk, None)
    ]
    assert proposal[0].quantity == 9 and proposal[0].need.tier == 1
    client.force_login(s.manager)
    page = client.get(reverse("supplies_allocation"))
    key = f"r{s.village.pk}-{s.gel.pk}"
    assert f'name="qty_{key}"' in page.content.decode()
    done = client.post(reverse("supplies_allocation"), {f"qty_{key}": "9", "note": ""})
    assert done.status_code == 302
    transfer = Transfer.objects.get(destination=s.village)
    assert [(line.item_id, line.quantity_sent) for line in transfer.lines.all()] == [(s.gel.pk, 9)]
    assert balance_of(holder=s.store, item=s.gel) == 191
    # On its way: the next proposal does not send it again.
    assert allocation_propose(actor=s.manager) == []


def test_a_gate_that_ran_dry_before_the_week_is_topped_up_at_its_peers_rate(client, stocked):
    s = stocked
    _ran_dry(s, s.checkpoint, s.gel, got=5, used=5, days_ago=20)  # empty, no use this week
    _ran_dry(s, s.far_checkpoint, s.gel, got=100, used=14)  # 2 a day
    proposal = {p.need.holder_id: p for p in allocation_propose(actor=s.manager)}
    assert set(proposal) == {s.checkpoint.pk}
    assert proposal[s.checkpoint.pk].need.quantity == 6
    client.force_login(s.manager)
    api = client.get(f"{API}/allocation/proposal").json()
    assert api[0]["request_line_id"] is None and api[0]["holder_id"] == s.checkpoint.pk
    confirmed = client.post(
        f"{API}/allocation/confirm",
        {"lines": [{"holder_id": s.checkpoint.pk, "item_id": s.gel.pk, "quantity": 6}]},
        content_type="application/json",
    )
    assert confirmed.status_code == 201, confirmed.content
    assert balance_of(holder=s.store, item=s.gel) == 194
