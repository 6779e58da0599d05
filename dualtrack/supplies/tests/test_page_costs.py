"""What the supplies pages cost does not grow with the district: the statements of a page are
as many with many holders stocked as with few, and the figures read balances as tuples."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
