"""Reading and writing the enterprises' Excel workbooks (.xlsx).

An import is all or nothing: the whole sheet is checked first, every problem of every row is
reported with its row number, column header and reason, and nothing is written unless every row
is good.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext as _

from dualtrack.core import xlsx

IMPORT_MAX_ROWS = 100_000


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Chinese, as the template writes it
    english: str
    required: bool = False
    text: bool = False  # formatted as text so that Excel keeps every digit


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ImportReport:
    total_rows: int
    imported: int
    errors: list[RowError]

    @property
    def committed(self) -> bool:
        return self.imported > 0


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    headers: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def fail(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.headers.get(key, key), str(message)))

    def text(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()


def read_sheet(file: IO[bytes], filename: str, columns: Sequence[Column]) -> list[Row]:
    """The non-blank data rows of the first sheet, keyed by column; the file is refused whole
    if it is not a readable .xlsx, too large, or lacks a required column."""
    with xlsx.first_sheet_rows(file, filename) as rows:
        return _rows(rows, columns)


def _rows(rows: Iterable[Sequence[Any]], columns: Sequence[Column]) -> list[Row]:
    iterator = iter(rows)
    header_row = next(iterator, None)
    if header_row is None or xlsx.is_blank(header_row):
        raise xlsx.refuse(
            _("The sheet is empty: the first row must hold the column headers."), "file_empty"
        )
    known = {xlsx.header_key(name): c.key for c in columns for name in (c.header, c.english, c.key)}
    index: dict[str, int] = {}
    headers: dict[str, str] = {c.key: c.header for c in columns}
    for position, value in enumerate(header_row):
        text = "" if value is None else str(value).strip()
        key = known.get(xlsx.header_key(text))
        if key is None:
            continue
        if key in index:
            raise xlsx.refuse(
                _("The column “%(header)s” appears more than once.") % {"header": text},
                "file_duplicate_column",
            )
        index[key], headers[key] = position, text
    missing = [c for c in columns if c.required and c.key not in index]
    if missing:
        names = "、".join(f"{c.header} ({c.english})" for c in missing)
        raise xlsx.refuse(
            _("Required columns are missing: %(columns)s.") % {"columns": names},
            "file_missing_columns",
        )
    result: list[Row] = []
    for number, values in enumerate(iterator, start=2):
        if xlsx.is_blank(values):
            continue
        if len(result) == IMPORT_MAX_ROWS:
            raise xlsx.refuse(
                _("The sheet has more than %(n)d rows; split it into smaller files.")
                % {"n": IMPORT_MAX_ROWS},
                "file_too_many_rows",
            )
        cells = {key: (values[pos] if pos < len(values) else None) for key, pos in index.items()}
        row = Row(number, cells, headers)
        for column in columns:
            value = cells.get(column.key)
            if (
                isinstance(value, (int, float))
                and column.text
                and abs(value) >= xlsx.EXACT_NUMBER_LIMIT
            ):
                row.fail(
                    column.key,
                    _(
                        "This number was stored as a number and has lost digits: format the "
                        "column as text and enter it again."
                    ),
                )
            elif column.required and (value is None or str(value).strip() == ""):
                row.fail(column.key, _("This cell is required."))
        result.append(row)
    if not result:
        raise xlsx.refuse(_("The sheet has no rows below the header."), "file_empty")
    return result


def workbook_bytes(title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    """An .xlsx with a bold header row and the rows; text columns keep every digit, and no text
    becomes a formula."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for position, column in enumerate(columns, start=1):
        letter = openpyxl.utils.get_column_letter(position)
        sheet.column_dimensions[letter].width = 22 if column.text else 14
    xlsx.export_row(sheet, [column.header for column in columns], bold=True)
    for values in rows:
        xlsx.export_row(sheet, values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def yes_no(row: Row, key: str) -> bool:
    """是/否, yes/no, true/false, 1/0; anything else is reported."""
    text = row.text(key).casefold()
    if text in ("", "否", "no", "n", "false", "0"):
        return False
    if text in ("是", "yes", "y", "true", "1"):
        return True
    row.fail(key, _("Enter 是 or 否 (yes or no)."))
    return False
