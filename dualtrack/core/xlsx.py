"""Opening an uploaded Excel workbook (.xlsx) safely, for every import of the platform.

An upload is refused whole, with a message on the form's ``file`` field, when it is not named
.xlsx, is larger than ``IMPORT_MAX_BYTES``, is not a zip archive, would unpack to far more than
it weighs (a zip bomb), cannot be opened, or has no sheet. Reading its rows afterwards can still
meet a damaged part; that too is answered as an unreadable workbook, whatever openpyxl, zipfile
or the XML parser raised. What the caller does with the rows is its own affair: an error there is
not dressed up as a bad file.

A sheet wider than any import can use (``MAX_COLUMNS``) is refused from its declared dimension,
or from the first cell past that width, before its rows are read: one row of four million cells
would otherwise keep a worker busy for minutes.

Every export writes its cells through ``export_row``: text is written as text, never as a
formula, and a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return is neutralised with an
apostrophe (OWASP's guidance on CSV and formula injection), since a value typed by anyone — the
public self-registration needs no account — must not become a live formula or link in the
district's own spreadsheets.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any
from xml.etree.ElementTree import iterparse

import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from dualtrack.core.errors import ValidationFailed
from dualtrack.core.jobs import Progress, counted

# Decompressed size allowed per byte of the upload limit: a real sheet unpacks to well under
# this, a zip bomb does not.
MAX_UNPACK_RATIO = 10
# Excel keeps 15 significant digits of a number: a longer one typed as a number has lost digits.
EXACT_NUMBER_LIMIT = 10**15
_ZIP_MAGIC = b"PK\x03\x04"
# The widest sheet an import reads: its own columns and room for others (remarks and the like).
MAX_COLUMNS = 50
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_TAG, _ROW_TAG = f"{_SHEET_NS}c", f"{_SHEET_NS}row"
_DIMENSION_TAG = f"{_SHEET_NS}dimension"
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_DIGITS = "0123456789"


def refuse(message: str, code: str) -> ValidationFailed:
    """The whole file refused, with the message on the upload field."""
    return ValidationFailed.for_field("file", message, code=code)


def not_readable() -> ValidationFailed:
    return refuse(_("The file is not a readable Excel workbook (.xlsx)."), "file_not_xlsx")


def check_upload(file: IO[bytes], filename: str) -> bytes:
    """The upload's bytes, refused at once (before a job is queued for it) if it is not named
    .xlsx, too large, not a zip archive, or a zip bomb: checks that cost no more than reading it."""
    return _upload_bytes(file, filename)


def _upload_bytes(file: IO[bytes], filename: str) -> bytes:
    if not (filename or "").lower().endswith(".xlsx"):
        raise refuse(_("Upload an Excel workbook (.xlsx)."), "file_not_xlsx")
    limit = settings.IMPORT_MAX_BYTES
    if file.seekable():
        file.seek(0)  # a form may have read it already to sniff it
    data = file.read(limit + 1)
    if len(data) > limit:
        raise refuse(
            _("The file is larger than %(size)s.") % {"size": filesizeformat(limit)},
            "file_too_large",
        )
    if not data.startswith(_ZIP_MAGIC):
        raise not_readable()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise not_readable() from exc
    if unpacked > limit * MAX_UNPACK_RATIO:
        raise refuse(
            _("The file is too large once unpacked; split it into smaller files."),
            "file_too_large",
        )
    return data


def _guarded(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        # A damaged part can fail anywhere inside openpyxl, zipfile or the XML parser; whatever
        # the failure, the answer to the user is the same.
        except Exception as exc:
            raise not_readable() from exc
        yield row


def too_wide(max_columns: int) -> ValidationFailed:
    return refuse(
        _(
            "The workbook is wider than an import can use: a sheet has cells beyond column "
            "%(column)s (%(n)d columns). Delete the columns after it and upload the file again."
        )
        % {"column": get_column_letter(max_columns), "n": max_columns},
        "file_too_wide",
    )


def _check_width(data: bytes, max_columns: int) -> None:
    """Refuse the workbook at the first cell (or declared dimension) of any sheet past
    ``max_columns``, streaming the sheets' XML without building their rows: openpyxl reads a
    sheet through to its end when it declares no dimension, before a row is asked for."""
    position = 0  # the column of the last cell read in the current row
    # A cell's column by its letters ("AB" of "AB7"); any other letters are past the limit.
    columns = {get_column_letter(index): index for index in range(1, max_columns + 1)}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if not _SHEET_PART.fullmatch(name):
                    continue
                with archive.open(name) as source:
                    # The parser openpyxl reads the same part with: expat refuses entity
                    # expansion bombs, ElementTree resolves no external entity.
                    for _event, element in iterparse(source):  # noqa: S314
                        if element.tag == _CELL_TAG:
                            # A cell names its column ("AB7"), or follows the one before it.
                            reference = element.get("r")
                            position = (
                                columns.get(reference.rstrip(_DIGITS).upper(), max_columns + 1)
                                if reference
                                else position + 1
                            )
                            if position > max_columns:
                                raise too_wide(max_columns)
                        elif element.tag == _ROW_TAG:
                            position = 0
                            element.clear()
                        elif element.tag == _DIMENSION_TAG:
                            last = (element.get("ref") or "").rpartition(":")[2]
                            letters = last.rstrip(_DIGITS).upper()
                            if letters and letters not in columns:
                                raise too_wide(max_columns)
    except ValidationFailed:
        raise
    except Exception as exc:
        raise not_readable() from exc


@contextmanager
def first_sheet_rows(
    file: IO[bytes], filename: str, *, max_columns: int = MAX_COLUMNS
) -> Iterator[Iterator[tuple[Any, ...]]]:
    """The cell values of the first sheet, row by row (the header row first), of an upload
    checked as the module says; the workbook is closed when the block ends."""
    data = _upload_bytes(file, filename)
    _check_width(data, max_columns)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:
        raise not_readable() from exc
    try:
        if not workbook.worksheets:
            raise refuse(_("The workbook has no sheet."), "file_empty")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
        yield _guarded(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def header_key(text: str) -> str:
    """A header as compared with the known ones: case, spaces, ``_`` and ``-`` do not count."""
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def is_blank(values: Sequence[Any]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


# --- Writing exports ---------------------------------------------------------------------------

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def export_text(text: str) -> str:
    """User text as a spreadsheet shows it safely: characters a workbook cannot hold removed, and
    a leading formula trigger neutralised with an apostrophe."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith(_FORMULA_TRIGGERS):
        return "'" + text
    return text


def export_cell(sheet: Worksheet | WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> Cell:
    """One cell of an export: text always as data (an explicit string), never as a formula;
    numbers, dates and empty cells as they are."""
    cell = Cell(sheet, row=1, column=1)  # placed where the row appends it
    if isinstance(value, str):
        cell.value = export_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)
    return cell


def export_row(
    sheet: Worksheet | WriteOnlyWorksheet, values: Iterable[Any], *, bold: bool = False
) -> None:
    """Append one row to an export, every cell written by ``export_cell``."""
    sheet.append([export_cell(sheet, value, bold=bold) for value in values])


def sheet_xlsx[T](
    title: str,
    header: Sequence[str],
    rows: Sequence[T],
    cells: Callable[[T], Iterable[Any]],
    progress: Progress,
    stage: str,
) -> bytes:
    """A workbook of one sheet: the header in bold, then ``cells(row)`` for each row, written by
    ``export_row`` and counted to ``progress`` in ``stage``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    export_row(sheet, header, bold=True)
    for row in counted(rows, progress, stage):
        export_row(sheet, cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
