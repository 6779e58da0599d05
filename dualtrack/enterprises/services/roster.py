"""The workforce roster an enterprise keeps: workers, where they return from, their health, the
quarantine an arrival from a risk region needs; Excel import (all or nothing) and export."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache
from pathlib import PureWindowsPath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from stdnum import numdb

from dualtrack.areas.models import RiskArea
from dualtrack.areas.selectors import risk_area_history
from dualtrack.core import xlsx
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.jobs import Progress, counted, job_start, no_progress
from dualtrack.core.masking import mask_id_number, mask_phone
from dualtrack.core.models import AuditAction, Job, User
from dualtrack.core.validators import normalize_id_number
from dualtrack.enterprises import access
from dualtrack.enterprises.access import may_view_personal_data
from dualtrack.enterprises.models import Employee, Enterprise, HealthStatus
from dualtrack.enterprises.services import fields, sheets
from dualtrack.enterprises.services.filings import _require_filer
from dualtrack.enterprises.services.sheets import Column, ImportReport

BATCH = 2000
_YEARS = re.compile(r"\[[^\]]*\]")

ROSTER_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", "name", required=True),
    Column("id_number", "身份证号", "ID number", text=True),
    Column("phone", "手机号", "mobile", text=True),
    Column("home_region", "户籍地代码", "home region", text=True),
    Column("returned_from", "返回地代码", "returned from", text=True),
    Column("returned_on", "返回日期", "returned on"),
    Column("health", "健康状况", "health"),
    Column("new_hire", "新招用", "new hire"),
    Column("hire_date", "入职日期", "hire date"),
)
HEALTH_LABELS = {
    "健康": HealthStatus.HEALTHY,
    "有症状": HealthStatus.SYMPTOMS,
    "隔离中": HealthStatus.QUARANTINE,
    **{v: v for v in HealthStatus.values},
}
HEALTH_NAMES = {v: k for k, v in list(HEALTH_LABELS.items())[:3]}


@cache
def _regions() -> Any:
    return numdb.get("cn/loc")


@cache
def region_name(code: str) -> str:
    """The GB/T 2260 name of a 2-, 4- or 6-digit code (python-stdnum's cn/loc data), or ''.

    The data knows provinces and counties; a 4-digit (city) code is known by its province.
    """
    if not code or not code.isdigit() or len(code) not in (2, 4, 6):
        return ""
    parts = _regions().info(code if len(code) != 4 else code + "00")
    province = parts[0][1].get("province", "") if parts else ""
    if not province:
        return ""
    if len(code) == 2:
        return province
    if len(code) == 4:
        return f"{province}（{code}）"
    county = parts[1][1].get("county", "") if len(parts) > 1 else ""
    if not county:
        return ""
    county = _YEARS.sub("", county)
    return province if county == province else province + county


@dataclass(frozen=True)
class EmployeeData:
    name: str
    id_number: str
    phone: str
    home_region: str
    returned_from: str
    returned_on: datetime.date | None
    health: str
    new_hire: bool
    hire_date: datetime.date | None


def _region(errors: fields.Errors, field: str, value: Any) -> str:
    code = ("" if value is None else str(value)).strip()
    if isinstance(value, float) and value.is_integer():
        code = str(int(value))
    if code and not region_name(code):
        errors.append(
            {"field": field, "message": _("Enter a GB/T 2260 region code (2, 4 or 6 digits).")}
        )
    return code


def clean_employee(
    *,
    name: Any,
    id_number: Any = "",
    phone: Any = "",
    home_region: Any = "",
    returned_from: Any = "",
    returned_on: Any = None,
    health: str = HealthStatus.HEALTHY,
    new_hire: bool = False,
    hire_date: Any = None,
) -> EmployeeData:
    errors: fields.Errors = []
    clean_name = fields.text(errors, "name", name, 50, required=True)
    clean_id = ""
    raw_id = ("" if id_number is None else str(id_number)).strip()
    if raw_id:
        try:
            clean_id = normalize_id_number(raw_id)
        except ValidationError as exc:
            errors.append({"field": "id_number", "message": exc.messages[0]})
    clean_phone = fields.mobile(errors, "phone", phone, required=False)
    home = _region(errors, "home_region", home_region)
    origin = _region(errors, "returned_from", returned_from)
    back = fields.date(errors, "returned_on", returned_on, required=False)
    hired = fields.date(errors, "hire_date", hire_date, required=bool(new_hire))
    if health not in HealthStatus.values:
        errors.append({"field": "health", "message": _("Choose a health status from the list.")})
    fields.raise_if(errors)
    return EmployeeData(
        clean_name, clean_id, clean_phone, home, origin, back, health, bool(new_hire), hired
    )


def quarantine_for(
    returned_from: str, returned_on: datetime.date | None, risk_areas: list[RiskArea]
) -> datetime.date | None:
    """Until when a worker needs quarantine: QUARANTINE_DAYS from the return, when the region
    they came back from was on HQ's risk-area list that day; None when they need none."""
    if not returned_from or returned_on is None:
        return None
    if not any(
        area.is_current(returned_on) and returned_from.startswith(area.prefix)
        for area in risk_areas
    ):
        return None
    return returned_on + datetime.timedelta(days=settings.QUARANTINE_DAYS)


def build_employee(
    enterprise: Enterprise, data: EmployeeData, risk_areas: list[RiskArea]
) -> Employee:
    until = quarantine_for(data.returned_from, data.returned_on, risk_areas)
    return Employee(
        enterprise=enterprise,
        name=data.name,
        id_number=data.id_number,
        id_number_digest=lookup_digest(data.id_number) if data.id_number else "",
        phone=data.phone,
        home_region=data.home_region,
        returned_from=data.returned_from,
        returned_on=data.returned_on,
        health=data.health,
        quarantine_needed=until is not None,
        quarantine_until=until,
        new_hire=data.new_hire,
        hire_date=data.hire_date,
    )


def _taken() -> ValidationFailed:
    return ValidationFailed.for_field(
        "id_number", _("This ID number is already on the roster."), code="id_number_taken"
    )


def employee_create(*, actor: User, enterprise: Enterprise, data: EmployeeData) -> Employee:
    """Add a worker to the enterprise's roster."""
    _require_filer(actor, enterprise)
    employee = build_employee(enterprise, data, risk_area_history())
    with transaction.atomic():
        if (
            employee.id_number_digest
            and enterprise.employees.filter(id_number_digest=employee.id_number_digest).exists()
        ):
            raise _taken()
        try:
            with transaction.atomic():
                employee.save()
        except IntegrityError as exc:
            raise _taken() from exc
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=employee,
            area_code=enterprise.area.code,
            after=snapshot(employee),
        )
    return employee


def employee_delete(*, actor: User, employee: Employee) -> None:
    """Take a worker off the roster."""
    _require_filer(actor, employee.enterprise)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=employee,
            area_code=employee.enterprise.area.code,
            before=snapshot(employee),
        )
        employee.delete()


ROSTER_IMPORT_JOB = "enterprises.roster_import"
ROSTER_EXPORT_JOB = "enterprises.roster_export"


def roster_import_start(
    *, actor: User, enterprise: Enterprise, file: IO[bytes], filename: str
) -> Job:
    """Queue the roster import of ``file`` as a job of ``actor``'s; refused at once if the actor
    may not keep the roster or the file is plainly no workbook."""
    _require_filer(actor, enterprise)
    xlsx.check_upload(file, filename)
    name = PureWindowsPath(filename).name
    return job_start(
        actor=actor,
        kind=ROSTER_IMPORT_JOB,
        label=_("Import the roster from %(filename)s") % {"filename": name},
        params={
            "enterprise_id": enterprise.pk,
            "back": reverse("portal_roster"),
            "back_label": _("Roster"),
        },
        upload=file,
        upload_name=name,
    )


def roster_export_start(*, actor: User, enterprise: Enterprise) -> Job:
    """Queue the export of ``enterprise``'s roster as a job of ``actor``'s."""
    _require_filer_or_viewer(actor, enterprise)
    return job_start(
        actor=actor,
        kind=ROSTER_EXPORT_JOB,
        label=_("Export the roster of %(name)s") % {"name": enterprise.name},
        params={"enterprise_id": enterprise.pk},
    )


def roster_import(
    *,
    actor: User,
    enterprise: Enterprise,
    file: IO[bytes],
    filename: str,
    progress: Progress = no_progress,
) -> ImportReport:
    """Add every worker of the sheet to the roster, or none if any row has a problem."""
    _require_filer(actor, enterprise)
    progress(0, 0, _("Reading the file"))
    rows = sheets.read_sheet(file, filename, ROSTER_COLUMNS)
    risk_areas = risk_area_history()
    built: list[tuple[sheets.Row, Employee]] = []
    for row in counted(rows, progress, _("Checking the rows")):
        health = HEALTH_LABELS.get(row.text("health") or "健康")
        if health is None:
            row.fail(
                "health", _("Choose one of: %(choices)s.") % {"choices": "健康、有症状、隔离中"}
            )
        new_hire = sheets.yes_no(row, "new_hire")
        try:
            data = clean_employee(
                name=row.text("name"),
                id_number=row.text("id_number"),
                phone=row.text("phone"),
                home_region=row.text("home_region"),
                returned_from=row.text("returned_from"),
                returned_on=row.values.get("returned_on"),
                health=health or HealthStatus.HEALTHY,
                new_hire=new_hire,
                hire_date=row.values.get("hire_date"),
            )
        except ValidationFailed as exc:
            reported = {e.column for e in row.errors}
            for error in exc.errors:
                if row.headers.get(error["field"], error["field"]) not in reported:
                    row.fail(error["field"], error["message"])
            continue
        if not row.errors:
            built.append((row, build_employee(enterprise, data, risk_areas)))
    first: dict[str, sheets.Row] = {}
    for row, employee in built:
        digest = employee.id_number_digest
        if not digest:
            continue
        if digest in first:
            row.fail(
                "id_number",
                _("The same ID number is also on row %(row)d.") % {"row": first[digest].number},
            )
        else:
            first[digest] = row
    on_roster = set(
        enterprise.employees.exclude(id_number_digest="").values_list("id_number_digest", flat=True)
    )
    for row, employee in built:
        if employee.id_number_digest in on_roster:
            row.fail("id_number", _("This ID number is already on the roster."))
    errors = sorted((e for row in rows for e in row.errors), key=lambda e: e.row)
    if errors:
        return ImportReport(total_rows=len(rows), imported=0, errors=errors)
    name = PureWindowsPath(filename).name[:200]
    progress(len(rows), len(rows), _("Saving"))
    try:
        with transaction.atomic():
            Employee.objects.bulk_create([e for _r, e in built], batch_size=BATCH)
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                instance=enterprise,
                area_code=enterprise.area.code,
                note=f"{len(built)} workers imported from {name}",
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The roster changed while the file was imported. Import the file again."),
            code="import_conflict",
        ) from exc
    return ImportReport(total_rows=len(rows), imported=len(built), errors=[])


def roster_export(
    *, actor: User, enterprise: Enterprise, progress: Progress = no_progress
) -> bytes:
    """The roster as an import-compatible workbook. The enterprise's own users (and staff with
    VIEW_PERSONAL_DATA) get the numbers unmasked, and that view is audited; others get them
    masked."""
    _require_filer_or_viewer(actor, enterprise)
    unmasked = may_view_personal_data(actor, enterprise)
    employees = counted(list(enterprise.employees.order_by("id")), progress, _("Writing"))
    rows = (
        [
            e.name,
            e.id_number if unmasked else mask_id_number(e.id_number),
            e.phone if unmasked else mask_phone(e.phone),
            e.home_region,
            e.returned_from,
            e.returned_on,
            HEALTH_NAMES.get(e.health, e.health),
            "是" if e.new_hire else "否",
            e.hire_date,
        ]
        for e in employees
    )
    content = sheets.workbook_bytes("花名册", ROSTER_COLUMNS, rows)
    if unmasked:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=AuditAction.VIEW_PERSONAL_DATA,
                instance=enterprise,
                area_code=enterprise.area.code,
                note="roster exported unmasked",
            )
    return content


def _require_filer_or_viewer(actor: User, enterprise: Enterprise) -> None:
    access.require_see_enterprise(actor, enterprise)


def roster_import_template() -> bytes:
    example = [
        [
            "张三",
            "11010519491231002X",
            "13800138000",
            "360124",
            "420106",
            "2020-02-10",
            "健康",
            "否",
            None,
        ]
    ]
    return sheets.workbook_bytes("花名册", ROSTER_COLUMNS, example)


def employee_returned(
    *,
    actor: User,
    enterprise: Enterprise,
    data: EmployeeData,
    right: access.RosterReturnRight | None = None,
) -> Employee:
    """A worker arrived back (a chartered trip checked in at the district's receiving point):
    added to the roster, or their return recorded on the row they have, and their quarantine
    set by the roster's rule; inside the caller's transaction. The actor needs the roster's
    own right (its enterprise's logins, staff who manage it) or a ``right`` issued to them for
    this enterprise (the receiving checkpoint's, by the trip's arrival); else refused."""
    if right is None:
        _require_filer(actor, enterprise)
    else:
        right.require(actor, enterprise)
    until = quarantine_for(data.returned_from, data.returned_on, risk_area_history())
    digest = lookup_digest(data.id_number) if data.id_number else ""
    employee = enterprise.employees.select_for_update().filter(id_number_digest=digest).first()
    if employee is None or not digest:
        employee = build_employee(enterprise, data, risk_area_history())
        employee.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=employee,
            area_code=enterprise.area.code,
            after=snapshot(employee),
        )
        return employee
    before = snapshot(employee)
    employee.returned_from, employee.returned_on = data.returned_from, data.returned_on
    employee.quarantine_needed, employee.quarantine_until = until is not None, until
    employee.save(
        update_fields=["returned_from", "returned_on", "quarantine_needed", "quarantine_until"]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=employee,
        area_code=enterprise.area.code,
        before=before,
        after=snapshot(employee),
    )
    return employee
