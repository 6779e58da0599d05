"""Importing an opening stocktake from a spreadsheet: every bad row reported, nothing
half-imported."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PureWindowsPath
from typing import IO, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from dualtrack.areas.scoping import Permission
from dualtrack.core import xlsx
from dualtrack.core.jobs import Progress, job_start, no_progress
from dualtrack.core.models import Job, User
from dualtrack.supplies.access import require_holder
from dualtrack.supplies.models import Holder, Item
from dualtrack.supplies.services.ledger import MAX_QUANTITY, clean_date
from dualtrack.supplies.services.stocktakes import OpeningLine, opening_stock_post

ITEM_HEADERS = {"物资", "物资名称", "item", "name"}
QUANTITY_HEADERS = {"数量", "quantity", "结存", "盘点数量"}
MAX_ROWS = 5000


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    imported: int = 0
    problems: list[ImportProblem] = field(default_factory=list)


OPENING_STOCK_IMPORT_JOB = "supplies.opening_stock_import"


def opening_stock_import_start(
    *,
    actor: User,
    holder: Holder,
    file: IO[bytes],
    filename: str,
    occurred_on: datetime.date | None = None,
) -> Job:
    """Queue the import of an opening stocktake as a job of ``actor``'s; refused at once if the
    actor may not keep the holder's ledger, the date is wrong or the file is plainly no
    workbook."""
    require_holder(user=actor, holder=holder, permission=Permission.KEEP_LEDGER)
    on = clean_date(occurred_on)
    xlsx.check_upload(file, filename)
    name = PureWindowsPath(filename).name
    return job_start(
        actor=actor,
        kind=OPENING_STOCK_IMPORT_JOB,
        label=_("Import the opening stock of %(holder)s from %(filename)s")
        % {"holder": holder.name, "filename": name},
        params={
            "holder_id": holder.pk,
            "occurred_on": on.isoformat(),
            "back": reverse("supplies_holder", args=[holder.pk]),
            "back_label": holder.name,
        },
        upload=file,
        upload_name=name,
    )


def opening_stock_import(
    *,
    actor: User,
    holder: Holder,
    file: IO[bytes],
    filename: str,
    occurred_on: datetime.date | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Read an .xlsx with a header row (物资名称, 数量) and post it as the holder's opening
    stocktake. With any bad row the report lists them all and nothing is written."""
    require_holder(user=actor, holder=holder, permission=Permission.KEEP_LEDGER)
    on = clean_date(occurred_on)
    progress(0, 0, _("Reading the file"))
    with xlsx.first_sheet_rows(file, filename) as rows:
        # One row past the limit is enough to refuse the sheet.
        report, lines = _read_lines(iter(list(itertools.islice(rows, MAX_ROWS + 2))))
    if report.problems:
        return report
    progress(len(lines), len(lines), _("Saving"))
    opening_stock_post(actor=actor, holder=holder, lines=lines, occurred_on=on)
    report.imported = len(lines)
    return report


def _read_lines(rows: Iterator[tuple[Any, ...]]) -> tuple[ImportReport, list[OpeningLine]]:
    header = next(rows, None)
    names = [str(c).strip().lower() if c is not None else "" for c in (header or ())]
    item_col = next((i for i, n in enumerate(names) if n in ITEM_HEADERS), None)
    qty_col = next((i for i, n in enumerate(names) if n in QUANTITY_HEADERS), None)
    if item_col is None or qty_col is None:
        raise xlsx.refuse(
            _("The first row must name the columns 物资名称 and 数量."), "file_missing_columns"
        )
    items = {i.name: i for i in Item.objects.all()}
    report = ImportReport()
    lines: list[OpeningLine] = []
    seen: dict[str, int] = {}
    item_letter = chr(ord("A") + item_col)
    qty_letter = chr(ord("A") + qty_col)
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise xlsx.refuse(
                _("At most %(n)s rows at a time.") % {"n": MAX_ROWS}, "file_too_many_rows"
            )
        cells = list(row) + [None] * (max(item_col, qty_col) + 1 - len(row))
        raw_name, raw_qty = cells[item_col], cells[qty_col]
        if raw_name in (None, "") and raw_qty in (None, ""):
            continue
        name = str(raw_name or "").strip()
        item = items.get(name)
        problems_before = len(report.problems)
        if not name:
            report.problems.append(ImportProblem(number, item_letter, _("The item is missing.")))
        elif item is None:
            report.problems.append(
                ImportProblem(number, item_letter, _("Unknown item “%(name)s”.") % {"name": name})
            )
        elif name in seen:
            report.problems.append(
                ImportProblem(
                    number,
                    item_letter,
                    _("This item is already on row %(row)s.") % {"row": seen[name]},
                )
            )
        quantity = _whole_number(raw_qty)
        if quantity is None:
            report.problems.append(
                ImportProblem(number, qty_letter, _("Enter a whole number of the item's unit."))
            )
        elif quantity <= 0:
            report.problems.append(
                ImportProblem(number, qty_letter, _("The quantity must be greater than zero."))
            )
        elif quantity > MAX_QUANTITY:
            report.problems.append(
                ImportProblem(number, qty_letter, _("The quantity is implausibly large."))
            )
        if len(report.problems) == problems_before and item is not None and quantity:
            seen[name] = number
            lines.append(OpeningLine(number, item, quantity))
    if not lines and not report.problems:
        raise xlsx.refuse(_("The sheet has no rows below the header."), "file_empty")
    return report, lines


def _whole_number(value: Any) -> int | None:
    """A cell's whole number (an integer, an integral float, or decimal digits as text), or None.

    Digits beyond any plausible quantity are answered as MAX_QUANTITY + 1 without converting
    them: only their size matters, and Python refuses to convert more than 4,300 digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and (text := value.strip()).isdecimal():
        if len(text.lstrip("0")) > len(str(MAX_QUANTITY)):
            return MAX_QUANTITY + 1
        return int(text)
    return None
