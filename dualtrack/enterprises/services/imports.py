"""Importing the enterprise registry from an Excel workbook, all rows or none."""

from __future__ import annotations

from collections import defaultdict
from pathlib import PureWindowsPath
from typing import IO

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core import xlsx
from dualtrack.core.audit import audit_record
from dualtrack.core.errors import Conflict, PermissionDenied, ValidationFailed
from dualtrack.core.jobs import Progress, counted, job_start, no_progress
from dualtrack.core.models import AuditAction, Job, User
from dualtrack.enterprises.figures import cell_key
from dualtrack.enterprises.models import Enterprise, IndustryDivision, SizeClass
from dualtrack.enterprises.services import sheets
from dualtrack.enterprises.services.registry import EnterpriseData, apply_data, clean_enterprise
from dualtrack.enterprises.services.sheets import Column, ImportReport
from dualtrack.enterprises.services.working_copy import figures_touch

BATCH = 1000

ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", "credit code", required=True, text=True),
    Column("name", "企业名称", "name", required=True),
    Column("town", "所在镇处", "town", required=True),
    Column("legal_representative", "法定代表人", "legal representative"),
    Column("contact_name", "联系人", "contact name"),
    Column("contact_phone", "联系电话", "contact phone", text=True),
    Column("address", "地址", "address"),
    Column("industry", "行业大类代码", "industry division", text=True),
    Column("above_scale", "规上工业", "above-scale industrial"),
    Column("size_class", "企业规模", "size class"),
    Column("key_enterprise", "重点企业", "key enterprise"),
    Column("normal_workforce", "正常用工人数", "normal workforce"),
)

SIZE_LABELS = {
    "大型": SizeClass.LARGE,
    "中型": SizeClass.MEDIUM,
    "小型": SizeClass.SMALL,
    "微型": SizeClass.MICRO,
    **{value: value for value in SizeClass.values},
}
SIZE_NAMES = {value: label for label, value in list(SIZE_LABELS.items())[:4]}


def enterprises_import_template() -> bytes:
    example = [
        "91360100MA35F6XX0A",
        "南昌示例电子有限公司",
        "昌东镇",
        "张三",
        "李四",
        "13800138000",
        "高新大道1号",
        "39",
        "是",
        "中型",
        "否",
        120,
    ]
    return sheets.workbook_bytes("企业", ENTERPRISE_COLUMNS, [example])


def enterprises_export(enterprises: list[Enterprise]) -> bytes:
    """The registry rows as an import-compatible workbook (phones masked)."""
    rows = (
        [
            e.credit_code,
            e.name,
            e.area.name,
            e.legal_representative,
            e.contact_name,
            e.contact_phone_masked,
            e.address,
            e.division.code if e.division else "",
            "是" if e.above_scale else "否",
            SIZE_NAMES.get(e.size_class, e.size_class),
            "是" if e.key_enterprise else "否",
            e.normal_workforce,
        ]
        for e in enterprises
    )
    return sheets.workbook_bytes("企业", ENTERPRISE_COLUMNS, rows)


ENTERPRISES_IMPORT_JOB = "enterprises.registry_import"
ENTERPRISES_EXPORT_JOB = "enterprises.registry_export"


def enterprises_import_start(*, actor: User, file: IO[bytes], filename: str) -> Job:
    """Queue the registry import of ``file`` as a job of ``actor``'s; refused at once if the
    actor may register enterprises nowhere or the file is plainly no workbook."""
    if not scope_for(actor).codes(Permission.MANAGE_ENTERPRISES):
        raise PermissionDenied()
    xlsx.check_upload(file, filename)
    name = PureWindowsPath(filename).name
    return job_start(
        actor=actor,
        kind=ENTERPRISES_IMPORT_JOB,
        label=_("Import enterprises from %(filename)s") % {"filename": name},
        params={"back": reverse("enterprise_import"), "back_label": _("Import another file")},
        upload=file,
        upload_name=name,
    )


def enterprises_export_start(*, actor: User) -> Job:
    """Queue the export of the registry in ``actor``'s scope as a job of theirs."""
    return job_start(
        actor=actor,
        kind=ENTERPRISES_EXPORT_JOB,
        label=_("Export the enterprise registry"),
        params={"back": reverse("enterprise_index"), "back_label": _("Enterprises")},
    )


def enterprises_import(
    *, actor: User, file: IO[bytes], filename: str, progress: Progress = no_progress
) -> ImportReport:
    """Register every enterprise of the sheet, or none if any row has a problem."""
    scope = scope_for(actor)
    if not scope.codes(Permission.MANAGE_ENTERPRISES):
        raise PermissionDenied()
    progress(0, 0, _("Reading the file"))
    rows = sheets.read_sheet(file, filename, ENTERPRISE_COLUMNS)
    towns = {
        t.name: t
        for t in Area.objects.filter(kind=AreaKind.TOWN)
        if scope.covers(t, Permission.MANAGE_ENTERPRISES)
    }
    divisions = {d.code: d for d in IndustryDivision.objects.select_related("sector")}
    cleaned: list[tuple[sheets.Row, EnterpriseData]] = []
    for row in counted(rows, progress, _("Checking the rows")):
        town = towns.get(row.text("town"))
        if row.text("town") and town is None:
            row.fail("town", _("Unknown town, or the town is outside your scope."))
        division = None
        code = row.text("industry").zfill(2) if row.text("industry") else ""
        if code:
            division = divisions.get(code)
            if division is None:
                row.fail("industry", _("Enter a GB/T 4754-2017 division code (01 to 97)."))
        size = SIZE_LABELS.get(row.text("size_class") or "小型")
        if size is None:
            row.fail(
                "size_class",
                _("Choose one of: %(choices)s.") % {"choices": "大型、中型、小型、微型"},
            )
        above = sheets.yes_no(row, "above_scale")
        key = sheets.yes_no(row, "key_enterprise")
        workforce = row.values.get("normal_workforce")
        try:
            data = clean_enterprise(
                credit_code=row.text("credit_code"),
                name=row.text("name"),
                town=town,
                legal_representative=row.text("legal_representative"),
                contact_name=row.text("contact_name"),
                contact_phone=row.text("contact_phone"),
                address=row.text("address"),
                division=division,
                above_scale=above,
                size_class=size or SizeClass.SMALL,
                key_enterprise=key,
                normal_workforce=0 if workforce in (None, "") else workforce,
            )
        except ValidationFailed as exc:
            reported = {e.column for e in row.errors}
            for error in exc.errors:
                header = row.headers.get(error["field"], error["field"])
                if header not in reported:
                    row.fail(error["field"], error["message"])
        else:
            if not row.errors:
                cleaned.append((row, data))
    _check_duplicates(rows, cleaned)
    errors = sorted((e for row in rows for e in row.errors), key=lambda e: e.row)
    if errors:
        return ImportReport(total_rows=len(rows), imported=0, errors=errors)
    name = PureWindowsPath(filename).name[:200]
    progress(len(rows), len(rows), _("Saving"))
    try:
        with transaction.atomic():
            created = Enterprise.objects.bulk_create(
                [apply_data(Enterprise(), data) for _row, data in cleaned], batch_size=BATCH
            )
            figures_touch({cell_key(e) for e in created})
            by_town: dict[Area, int] = defaultdict(int)
            for _row, data in cleaned:
                by_town[data.town] += 1
            for town, n in by_town.items():
                audit_record(
                    actor=actor,
                    action=AuditAction.IMPORT,
                    instance=town,
                    area_code=town.code,
                    note=f"{n} enterprises imported from {name}",
                )
    except IntegrityError as exc:
        raise Conflict(
            _("Some of these enterprises were registered meanwhile. Import the file again."),
            code="import_conflict",
        ) from exc
    return ImportReport(total_rows=len(rows), imported=len(cleaned), errors=[])


def _check_duplicates(
    rows: list[sheets.Row], cleaned: list[tuple[sheets.Row, EnterpriseData]]
) -> None:
    by_code: dict[str, list[sheets.Row]] = defaultdict(list)
    for row, data in cleaned:
        by_code[data.credit_code].append(row)
    for same in by_code.values():
        if len(same) > 1:
            for row in same:
                others = ", ".join(str(o.number) for o in same if o is not row)
                row.fail(
                    "credit_code",
                    _("The same credit code is also on row(s) %(rows)s.") % {"rows": others},
                )
    codes = list(by_code)
    registered: set[str] = set()
    for start in range(0, len(codes), BATCH):
        registered.update(
            Enterprise.objects.filter(credit_code__in=codes[start : start + BATCH]).values_list(
                "credit_code", flat=True
            )
        )
    for row, data in cleaned:
        if data.credit_code in registered:
            row.fail(
                "credit_code",
                _("An enterprise with this unified social credit code is already registered."),
            )
