"""The residents' import sheet: its columns and the labels it accepts, reading it, and checking
every row against the register before anything is written."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualtrack.areas.models import (
    HOUSEHOLD_AREA_KINDS,
    Area,
    Household,
    Relation,
    ResidenceKind,
    Resident,
)
from dualtrack.areas.scoping import Permission, Scope
from dualtrack.areas.services.people import ResidentData, clean_resident
from dualtrack.core import xlsx
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.validators import normalize_id_number

IMPORT_MAX_ROWS = 50_000
# One query per this many ID-number digests or household numbers.
LOOKUP_BATCH = 1_000


@dataclass(frozen=True)
class ImportColumn:
    """One column of the import sheet. ``header`` is what the template writes."""

    key: str
    header: str
    english: str
    required: bool
    example: str
    aliases: tuple[str, ...] = ()
    text: bool = False  # formatted as text in the template, so that Excel keeps every digit


IMPORT_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("area_code", "区域编码", "area code", True, "GX0100101", text=True),
    ImportColumn("household_number", "户号", "household number", True, "001", text=True),
    ImportColumn("address", "地址", "address", True, "幸福路1号", aliases=("住址",)),
    ImportColumn("name", "姓名", "name", True, "张三"),
    ImportColumn(
        "id_number",
        "身份证号",
        "ID number",
        True,
        "11010519491231002X",
        aliases=("身份证号码", "公民身份号码"),
        text=True,
    ),
    ImportColumn(
        "phone", "手机号", "mobile", False, "13800138000", aliases=("手机号码", "phone"), text=True
    ),
    ImportColumn(
        "relation", "与户主关系", "relation", False, "户主", aliases=("relation to head",)
    ),
    ImportColumn("residence", "居住类型", "residence", False, "户籍"),
)
_COLUMNS_BY_KEY = {column.key: column for column in IMPORT_COLUMNS}

# The Chinese labels a sheet uses (offered in the template's drop-downs); the code values and the
# English labels are accepted too.
RELATION_LABELS: dict[str, str] = {
    "户主": Relation.HEAD,
    "配偶": Relation.SPOUSE,
    "子女": Relation.CHILD,
    "父母": Relation.PARENT,
    "其他": Relation.OTHER,
}
RESIDENCE_LABELS: dict[str, str] = {
    "户籍": ResidenceKind.REGISTERED,
    "常住": ResidenceKind.RESIDENT,
    "暂住": ResidenceKind.TEMPORARY,
}
_RELATION_ACCEPTED: dict[str, str] = {
    **RELATION_LABELS,
    **{value: value for value in Relation.values},
    "head of household": Relation.HEAD,
}
_RESIDENCE_ACCEPTED: dict[str, str] = {
    **RESIDENCE_LABELS,
    **{value: value for value in ResidenceKind.values},
    "long-term resident": ResidenceKind.RESIDENT,
}


@dataclass(frozen=True)
class ImportRowError:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str  # the column's header as written in the file
    message: str


# --- Reading the file ----------------------------------------------------------------------------


@dataclass
class _Headers:
    """Where each known column is in the file, and its header as written there."""

    index: dict[str, int]  # column key → 0-based position
    text: dict[str, str]  # column key → header as in the file

    def header(self, key: str) -> str:
        return self.text.get(key) or _COLUMNS_BY_KEY[key].header

    def position(self, header: str) -> int:
        for key, text in self.text.items():
            if text == header:
                return self.index[key]
        return len(IMPORT_COLUMNS)


_HEADER_KEYS: dict[str, str] = {
    xlsx.header_key(name): column.key
    for column in IMPORT_COLUMNS
    for name in (column.header, column.english, column.key, *column.aliases)
}


def read_sheet(file: IO[bytes], filename: str) -> tuple[_Headers, list[tuple[int, list[Any]]]]:
    """The header map and the non-blank data rows (with their row numbers) of the first sheet."""
    with xlsx.first_sheet_rows(file, filename) as rows:
        return _read_rows(rows)


def _read_rows(rows: Iterator[Sequence[Any]]) -> tuple[_Headers, list[tuple[int, list[Any]]]]:
    header_row = next(rows, None)
    if header_row is None or xlsx.is_blank(header_row):
        raise xlsx.refuse(
            _("The sheet is empty: the first row must hold the column headers."), "file_empty"
        )
    headers = _Headers(index={}, text={})
    for position, value in enumerate(header_row):
        text = "" if value is None else str(value).strip()
        key = _HEADER_KEYS.get(xlsx.header_key(text))
        if key is None:
            continue  # other columns (remarks and the like) are allowed and ignored
        if key in headers.index:
            raise xlsx.refuse(
                _("The column “%(header)s” appears more than once.") % {"header": text},
                "file_duplicate_column",
            )
        headers.index[key], headers.text[key] = position, text
    missing = [c for c in IMPORT_COLUMNS if c.required and c.key not in headers.index]
    if missing:
        names = "、".join(f"{c.header} ({c.english})" for c in missing)
        raise xlsx.refuse(
            _("Required columns are missing: %(columns)s.") % {"columns": names},
            "file_missing_columns",
        )
    data: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(rows, start=2):
        if xlsx.is_blank(values):
            continue
        if len(data) == IMPORT_MAX_ROWS:
            raise xlsx.refuse(
                _("The sheet has more than %(n)d rows; split it into smaller files.")
                % {"n": IMPORT_MAX_ROWS},
                "file_too_many_rows",
            )
        data.append((number, list(values)))
    if not data:
        raise xlsx.refuse(_("The sheet has no rows below the header."), "file_empty")
    return headers, data


# --- Checking rows -------------------------------------------------------------------------------


@dataclass
class SheetRow:
    number: int
    headers: _Headers
    values: dict[str, str]
    errors: list[ImportRowError] = field(default_factory=list)
    area: Area | None = None
    data: ResidentData | None = None
    digest: str = ""

    def fail(self, key: str, message: str) -> None:
        self.errors.append(ImportRowError(self.number, self.headers.header(key), str(message)))

    def failed(self, key: str) -> bool:
        header = self.headers.header(key)
        return any(error.column == header for error in self.errors)

    @property
    def household_key(self) -> tuple[int, str] | None:
        if self.area is None or not self.values["household_number"]:
            return None
        return (self.area.pk, self.values["household_number"])


def _lost_digits() -> str:
    return _(
        "This number was stored as a number and has lost digits: format the column as text "
        "and enter it again."
    )


def _cell_text(value: Any) -> tuple[str, bool]:
    """A cell as text, and whether it is a number Excel cannot have kept exactly (a float past
    15 digits: an 18-digit ID number typed as a number ends in zeros)."""
    if value is None:
        return "", False
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value)), abs(value) >= xlsx.EXACT_NUMBER_LIMIT
        return str(value), False
    return str(value).strip(), False


def _choice(text: str, accepted: dict[str, str]) -> str | None:
    return accepted.get(text) or accepted.get(text.casefold()) if text else None


def _choices_message(labels: dict[str, str]) -> str:
    return _("Choose one of: %(choices)s.") % {"choices": "、".join(labels)}


def parse_row(number: int, cells: list[Any], headers: _Headers) -> SheetRow:
    """Check one row on its own: required cells, lengths, choices, name, ID number and phone."""
    values: dict[str, str] = {}
    raw: dict[str, Any] = {}
    row = SheetRow(number, headers, values)
    for column in IMPORT_COLUMNS:
        position = headers.index.get(column.key)
        raw[column.key] = (
            cells[position] if position is not None and position < len(cells) else None
        )
        values[column.key], digits_lost = _cell_text(raw[column.key])
        if digits_lost:
            row.fail(column.key, _lost_digits())
        elif column.required and not values[column.key]:
            row.fail(column.key, _("This cell is required."))
    values["area_code"] = values["area_code"].upper()
    for key, limit in (("household_number", 32), ("address", 200)):
        if len(values[key]) > limit:
            row.fail(key, _("At most %(n)d characters.") % {"n": limit})

    # A blank choice takes the default; an unknown one is reported here, and clean_resident gets
    # the default so that it does not report it a second time.
    relation = _choice(values["relation"], _RELATION_ACCEPTED) or Relation.OTHER
    if values["relation"] and not _choice(values["relation"], _RELATION_ACCEPTED):
        row.fail("relation", _choices_message(RELATION_LABELS))
    residence = _choice(values["residence"], _RESIDENCE_ACCEPTED) or ResidenceKind.REGISTERED
    if values["residence"] and not _choice(values["residence"], _RESIDENCE_ACCEPTED):
        row.fail("residence", _choices_message(RESIDENCE_LABELS))
    id_number_failed = row.failed("id_number")
    try:
        row.data = clean_resident(
            name=values["name"],
            id_number=values["id_number"],
            phone=values["phone"],
            relation=relation,
            residence=residence,
        )
        row.digest = lookup_digest(row.data.id_number)
    except ValidationFailed as exc:
        failed = {error["field"] for error in exc.errors}
        for error in exc.errors:
            key = error["field"]
            if row.failed(key):
                continue  # already reported: a blank cell, or a number that lost digits
            if key == "id_number" and isinstance(raw[key], int) and len(values[key]) > 15:
                # Excel has rounded an ID number typed as a number; its check character fails.
                row.fail(key, _lost_digits())
            else:
                row.fail(key, error["message"])
        if "id_number" not in failed:
            # The ID number itself is sound: keep its digest for the duplicate checks.
            row.digest = lookup_digest(normalize_id_number(values["id_number"]))
    if id_number_failed:
        row.data, row.digest = None, ""  # a rounded number can pass the checksum by chance
    return row


def _batches[T](items: Iterable[T], size: int = LOOKUP_BATCH) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def check_areas(rows: list[SheetRow], scope: Scope) -> None:
    """Resolve area codes; an area out of scope reads exactly like one that does not exist."""
    codes = {row.values["area_code"] for row in rows if row.values["area_code"]}
    areas: dict[str, Area] = {}
    for batch in _batches(sorted(codes)):
        areas.update((area.code, area) for area in Area.objects.filter(code__in=batch))
    for row in rows:
        code = row.values["area_code"]
        if not code:
            continue
        area = areas.get(code)
        if area is None or not scope.covers(area, Permission.MANAGE_PEOPLE):
            row.fail("area_code", _("Unknown area code, or the area is outside your scope."))
        elif area.kind not in HOUSEHOLD_AREA_KINDS:
            row.fail("area_code", _("Households are registered in a group, village or community."))
        else:
            row.area = area


def check_households(rows: list[SheetRow]) -> dict[tuple[int, str], Household]:
    """Rows of one household must agree on its address, with each other and with the register.

    Returns the households that already exist, by (area id, number).
    """
    keyed = [(row.household_key, row) for row in rows if row.household_key]
    area_ids = sorted({key[0] for key, _row in keyed})
    numbers = sorted({key[1] for key, _row in keyed})
    existing: dict[tuple[int, str], Household] = {}
    for area_batch in _batches(area_ids):
        for number_batch in _batches(numbers):
            for household in Household.objects.filter(
                area_id__in=area_batch, number__in=number_batch
            ).select_related("area"):
                existing[(household.area_id, household.number)] = household
    first_row: dict[tuple[int, str], SheetRow] = {}
    for key, row in keyed:
        address = row.values["address"]
        if not address or row.failed("address"):
            continue
        if key in existing:
            if existing[key].address != address:
                row.fail(
                    "address",
                    _("Household %(number)s is registered here with the address “%(address)s”.")
                    % {"number": key[1], "address": existing[key].address},
                )
        elif key not in first_row:
            first_row[key] = row
        elif first_row[key].values["address"] != address:
            row.fail(
                "address",
                _("The address differs from row %(row)d for the same household.")
                % {"row": first_row[key].number},
            )
    return existing


def check_duplicate_id_numbers(rows: list[SheetRow]) -> None:
    """An ID number on several rows is reported on every one of them."""
    by_digest: dict[str, list[SheetRow]] = defaultdict(list)
    for row in rows:
        if row.digest:
            by_digest[row.digest].append(row)
    for same in by_digest.values():
        if len(same) < 2:
            continue
        for row in same:
            others = ", ".join(str(other.number) for other in same if other is not row)
            message = ngettext(
                "The same ID number is also on row %(rows)s.",
                "The same ID number is also on rows %(rows)s.",
                len(same) - 1,
            )
            row.fail("id_number", message % {"rows": others})


def check_registered_id_numbers(rows: list[SheetRow]) -> None:
    digests = sorted({row.digest for row in rows if row.digest})
    registered: set[str] = set()
    for batch in _batches(digests):
        registered.update(
            Resident.objects.filter(id_number_digest__in=batch).values_list(
                "id_number_digest", flat=True
            )
        )
    for row in rows:
        if row.digest in registered:
            row.fail("id_number", _("A resident with this ID number is already registered."))
