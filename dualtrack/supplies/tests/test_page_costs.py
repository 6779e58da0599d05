"""What the supplies pages cost does not grow with the district: the statements of a page are
as many with many holders stocked as with few, and the figures read balances as tuples."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dualtrack.supplies.forms import ItemsForm
from dualtrack.supplies.models import Balance, Holder, HolderKind
from dualtrack.supplies.services.catalogue import holder_create
from dualtrack.supplies.services.ledger import consumption_record, receipt_record

pytestmark = pytest.mark.django_db


def _stock(s, holder, quantity: int = 20, used: int = 15) -> None:
    receipt_record(
        actor=s.manager,
        holder=holder,
        item=s.n95,
        kind="donation",
        quantity=quantity,
        counterparty="捐赠",
    )
    consumption_record(actor=s.manager, holder=holder, item=s.n95, quantity=used)


def _statements(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return len(queries), page.content.decode()


def test_the_index_reads_as_many_statements_with_many_holders_low(
    client, stocked, district, monkeypatch
):
    """The low-stock figures read every balance in sight: a thousand at scale 10, each made into
    a row with its holder and item cost more than the query (no model row is made now)."""
    s = stocked
    client.force_login(s.manager)
    _stock(s, s.checkpoint)
    before, body = _statements(client, reverse("supplies_index"))
    assert "艾溪村北卡点" in body and 'data-testid="low-stock"' in body
    for n in range(6):
        holder = holder_create(
            actor=s.manager, kind=HolderKind.VILLAGE, area=district.village, name=f"低库存点{n}"
        )
        _stock(s, holder)

    def no_rows(*args, **kwargs):
        raise AssertionError("a balance was made into a model row")

    monkeypatch.setattr(Balance, "from_db", classmethod(no_rows))
    after, body = _statements(client, reverse("supplies_index"))
    assert after == before
    for n in range(6):
        assert f"低库存点{n}" in body


def test_the_request_forms_holder_select_makes_no_holder_row(client, stocked, monkeypatch):
    """A district's 3,400 holders in the request form's select: its options are made from their
    ids and names (core.forms.ValuesChoiceField), not from a model row each."""
    s = stocked
    client.force_login(s.manager)

    def no_rows(*args, **kwargs):
        raise AssertionError("a holder was made into a model row")

    monkeypatch.setattr(Holder, "from_db", classmethod(no_rows))
    _count, body = _statements(client, reverse("supplies_request_new"))

    assert f'<option value="{s.checkpoint.pk}">{s.checkpoint.name}</option>' in body


def _catalogue_reads(queries) -> int:
    """Statements reading the whole catalogue (not the chosen item, read by its id)."""
    return sum('FROM "supplies_item" ORDER BY' in q["sql"] for q in queries.captured_queries)


def _selects(body: str) -> list[str]:
    return re.findall(r"<select.*?</select>", body, flags=re.S)


def _page(client, method: str, url: str, data=None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.post(url, data) if method == "post" else client.get(url)
    assert page.status_code in (200, 422)
    return _catalogue_reads(queries), page.content.decode()


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("supplies_holder", "get", None),
        # A refused consumption: the page again, the chosen item still selected.
        ("supplies_holder_consumption", "post", {"c-item": "n95", "c-quantity": "5"}),
        ("supplies_request_new", "get", None),
        # A refused request: a quantity without its item, the other line's item selected.
        (
            "supplies_request_new",
            "post",
            {"holder": "village", "justification": "x", "item_0": "gel", "quantity_0": "3"}
            | {"quantity_1": "2"},
        ),
    ],
)
def test_a_page_of_item_selects_reads_the_catalogue_once(
    client, stocked, monkeypatch, name, method, data
):
    """The holder's page has seven item selects in four forms and the request form four: the
    catalogue is read once for all of them (it was read once a select), the selects the same."""
    s = stocked
    client.force_login(s.manager)
    url = reverse(name, args=[s.village.pk]) if name.startswith("supplies_holder") else None
    url = url or reverse(name)
    values = {"n95": s.n95.pk, "gel": s.gel.pk, "village": s.village.pk}
    data = {k: str(values.get(v, v)) for k, v in (data or {}).items()}

    reads, body = _page(client, method, url, data)
    monkeypatch.setattr(ItemsForm, "offer_items", lambda self, items: None)
    each, alone = _page(client, method, url, data)

    assert reads == 1
    assert each > 1
    assert _selects(body) == _selects(alone)
    assert f'<option value="{s.n95.pk}">{s.n95.name}</option>' in body
    if data:
        chosen = s.n95 if "c-item" in data else s.gel
        assert f'<option value="{chosen.pk}" selected>{chosen.name}</option>' in body


def test_the_index_lists_holders_without_a_holder_row(client, stocked, monkeypatch):
    """The index's 200 holders are made from the columns the list shows (not a model row with
    its area each) and each line links to its holder's page as the reversed route did; so do
    the low-stock lines."""
    s = stocked
    client.force_login(s.manager)
    _stock(s, s.checkpoint)
    holders = list(Holder.objects.select_related("area"))
    kinds = {h.pk: h.get_kind_display() for h in holders}

    def no_rows(*args, **kwargs):
        raise AssertionError("a holder was made into a model row")

    monkeypatch.setattr(Holder, "from_db", classmethod(no_rows))
    _count, body = _statements(client, reverse("supplies_index"))

    for h in holders:
        href = reverse("supplies_holder", args=[h.pk])
        assert (
            f'<tr data-testid="holder-{h.pk}"><td><a href="{href}">{h.name}</a></td>'
            f'<td>{kinds[h.pk]}</td><td>{h.area.name}</td><td class="num">{h.tier}</td></tr>'
        ) in body
    checkpoint = reverse("supplies_holder", args=[s.checkpoint.pk])
    assert f'<td><a href="{checkpoint}">{s.checkpoint.name}</a></td>' in body
