"""Opening an uploaded Excel workbook (.xlsx) safely, for every import of the platform.

An upload is refused whole, with a message on the form's ``file`` field, when it is not named
.xlsx, is larger than ``IMPORT_MAX_BYTES``, is not a zip archive, would unpack to far more than
it weighs (a zip bomb), cannot be opened, or has no sheet. Reading its rows afterwards can still
meet a damaged part; that too is answered as an unreadable workbook, whatever openpyxl, zipfile
or the XML parser raised. What the caller does with the rows is its own affair: an error there is
not dressed up as a bad file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from dualtrack.core.errors import ValidationFailed

# Decompressed size allowed per byte of the upload limit: a real sheet unpacks to well under
# this, a zip bomb does not.
MAX_UNPACK_RATIO = 10
# Excel keeps 15 significant digits of a number: a longer one typed as a number has lost digits.
EXACT_NUMBER_LIMIT = 10**15
_ZIP_MAGIC = b"PK\x03\x04"


def refuse(message: str, code: str) -> ValidationFailed:
    """The whole file refused, with the message on the upload field."""
    return ValidationFailed.for_field("file", message, code=code)


def not_readable() -> ValidationFailed:
    return refuse(_("The file is not a readable Excel workbook (.xlsx)."), "file_not_xlsx")


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


@contextmanager
def first_sheet_rows(file: IO[bytes], filename: str) -> Iterator[Iterator[tuple[Any, ...]]]:
    """The cell values of the first sheet, row by row (the header row first), of an upload
    checked as the module says; the workbook is closed when the block ends."""
    data = _upload_bytes(file, filename)
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
