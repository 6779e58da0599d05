"""Workbooks for the finance bureau and the figures, every cell written through the shared
``core.xlsx.export_row`` (text as data, never a formula)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

from dualtrack.core.xlsx import export_row


def workbook(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    export_row(sheet, header, bold=True)
    for row in rows:
        export_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
