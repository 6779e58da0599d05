"""The ledger's export writes the counterparty, voucher and reason typed by anyone as data,
never as a formula."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import load_workbook

from dualtrack.supplies.documents import ledger_xlsx
from dualtrack.supplies.models import Entry
from dualtrack.supplies.services.ledger import receipt_record

HOSTILE = '=HYPERLINK("http://evil.example","点击")'


def test_a_formula_in_a_ledger_entry_is_exported_as_text(supplies):
    receipt_record(
        actor=supplies.manager,
        holder=supplies.store,
        item=supplies.n95,
        kind="purchase",
        quantity=5,
        counterparty=HOSTILE,
        voucher_no="+CMD|' /C calc'!A0",
    )
    today = timezone.localdate()
    entries = list(Entry.objects.filter(holder=supplies.store).select_related("item", "handler"))
    content = ledger_xlsx(
        holder=supplies.store, entries=entries, openings={}, since=today, until=today
    )
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [row for row in sheet.iter_rows(min_row=3) if row[5].value]
    counterparty, voucher = rows[0][5], rows[0][6]
    assert (counterparty.data_type, counterparty.value) == ("s", "'" + HOSTILE)
    assert (voucher.data_type, voucher.value) == ("s", "'+CMD|' /C calc'!A0")
