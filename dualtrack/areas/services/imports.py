"""Importing households and residents from an Excel workbook (.xlsx).

The whole file is checked before anything is written, and every problem of every row is reported
with its spreadsheet row number and column header, so that a cadre can fix the sheet in one pass.
A file with bad rows writes nothing unless the caller asks for the good rows only.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import IO

import openpyxl
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.worksheet.datavalidation import DataValidation

from dualtrack.areas import access
from dualtrack.areas.models import (
    Household,
    Resident,
)
from dualtrack.areas.scoping import scope_for
from dualtrack.areas.services.import_sheet import (
    IMPORT_COLUMNS,
    IMPORT_MAX_ROWS,
    LOOKUP_BATCH,
    RELATION_LABELS,
    RESIDENCE_LABELS,
    ImportColumn,
    ImportRowError,
    SheetRow,
    check_areas,
    check_duplicate_id_numbers,
    check_households,
    check_registered_id_numbers,
    parse_row,
    read_sheet,
)
from dualtrack.areas.services.people import ResidentData, build_resident
from dualtrack.core import xlsx
from dualtrack.core.audit import diff, snapshot
from dualtrack.core.errors import Conflict
from dualtrack.core.jobs import Progress, job_start, no_progress
from dualtrack.core.models import AuditAction, AuditEntry, Job, User

__all__ = [
    "IMPORT_COLUMNS",
    "RESIDENTS_IMPORT_JOB",
    "ImportColumn",
    "ImportReport",
    "ImportRowError",
    "residents_import",
    "residents_import_start",
    "residents_import_template",
]


@dataclass(frozen=True)
class ImportReport:
    total_rows: int
    imported: int
    errors: list[ImportRowError]
    committed: bool


def residents_import_template() -> bytes:
    """An .xlsx with the header row and one example row, for cadres to fill in."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "居民"
    xlsx.export_row(sheet, [column.header for column in IMPORT_COLUMNS], bold=True)
    xlsx.export_row(sheet, [column.example for column in IMPORT_COLUMNS])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = 22 if column.text else 14
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=index).number_format = "@"
        choices = {"relation": RELATION_LABELS, "residence": RESIDENCE_LABELS}.get(column.key)
        if choices:
            listed = ",".join(choices)
            validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
            validation.add(f"{letter}2:{letter}{IMPORT_MAX_ROWS + 1}")
            sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


RESIDENTS_IMPORT_JOB = "areas.residents_import"


def residents_import_start(
    *, actor: User, file: IO[bytes], filename: str, good_rows_only: bool = False
) -> Job:
    """Queue the import of ``file`` as a job of ``actor``'s; refused at once if the actor may
    manage people nowhere or the file is plainly no workbook (ValidationFailed on ``file``)."""
    access.require_import_residents(actor)
    xlsx.check_upload(file, filename)
    name = PureWindowsPath(filename).name
    return job_start(
        actor=actor,
        kind=RESIDENTS_IMPORT_JOB,
        label=_("Import residents from %(filename)s") % {"filename": name},
        params={
            "good_rows_only": good_rows_only,
            "back": reverse("resident_import"),
            "back_label": _("Import another file"),
        },
        upload=file,
        upload_name=name,
    )


def residents_import(
    *,
    actor: User,
    file: IO[bytes],
    filename: str,
    good_rows_only: bool = False,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import households and residents from an .xlsx; all rows or none unless ``good_rows_only``.

    Raises PermissionDenied if the actor may manage people nowhere, and ValidationFailed (field
    ``file``) for a file that cannot be read as an import sheet; problems of single rows are
    returned in the report instead.
    """
    access.require_import_residents(actor)
    scope = scope_for(actor)
    progress(0, 0, _("Reading the file"))
    headers, raw_rows = read_sheet(file, filename)
    checking = _("Checking the rows")
    rows = []
    for done, (number, values) in enumerate(raw_rows, start=1):
        rows.append(parse_row(number, values, headers))
        progress(done, len(raw_rows), checking)
    progress(len(rows), len(rows), _("Checking against the register"))
    check_areas(rows, scope)
    existing = check_households(rows)
    check_duplicate_id_numbers(rows)
    check_registered_id_numbers(rows)

    errors = sorted(
        (error for row in rows for error in row.errors),
        key=lambda e: (e.row, headers.position(e.column)),
    )
    good = [row for row in rows if not row.errors]
    if not good or (errors and not good_rows_only):
        return ImportReport(total_rows=len(rows), imported=0, errors=errors, committed=False)
    progress(len(rows), len(rows), _("Saving"))
    _write(actor=actor, rows=good, existing=existing, filename=filename)
    return ImportReport(total_rows=len(rows), imported=len(good), errors=errors, committed=True)


# --- Writing -------------------------------------------------------------------------------------


def _write(
    *, actor: User, rows: list[SheetRow], existing: dict[tuple[int, str], Household], filename: str
) -> None:
    """Create the new households and every resident in bulk, and one audit entry per household."""
    households = dict(existing)
    new: dict[tuple[int, str], Household] = {}
    people: list[tuple[tuple[int, str], ResidentData]] = []  # in the file's order
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in rows:
        # A row without errors has a resolved area and validated resident data.
        key, data = row.household_key, row.data
        assert key is not None and data is not None and row.area is not None
        if key not in households and key not in new:
            new[key] = Household(area=row.area, number=key[1], address=row.values["address"])
        people.append((key, data))
        counts[key] += 1
    name = PureWindowsPath(filename).name[:200]  # a browser may send the client's full path
    try:
        with transaction.atomic():
            Household.objects.bulk_create(new.values(), batch_size=LOOKUP_BATCH)
            households.update(new)
            Resident.objects.bulk_create(
                (build_resident(households[key], data) for key, data in people),
                batch_size=LOOKUP_BATCH,
            )
            household_type = ContentType.objects.get_for_model(Household)
            entries = []
            for key, count in counts.items():
                household = households[key]
                note = ngettext(
                    "%(count)d resident imported from %(filename)s",
                    "%(count)d residents imported from %(filename)s",
                    count,
                ) % {"count": count, "filename": name}
                entries.append(
                    AuditEntry(
                        actor=actor,
                        action=AuditAction.IMPORT,
                        target_type=household_type,
                        target_id=str(household.pk),
                        target_repr=str(household)[:200],
                        area_code=household.area.code,
                        changes=diff(None, snapshot(household)) if key in new else {},
                        note=note[:300],
                    )
                )
            AuditEntry.objects.bulk_create(entries, batch_size=LOOKUP_BATCH)
    except IntegrityError as exc:  # someone registered the same people or households meanwhile
        raise Conflict(
            _(
                "Some of these households or residents were registered by someone else while "
                "the file was being imported. Import the file again."
            ),
            code="import_conflict",
        ) from exc
