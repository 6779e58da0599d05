"""The line list (病例): entering and editing a case, its classification history, the audited
unmasked views and the start of the line list's export."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, Gender, Resident
from dualtrack.areas.regions import region_name
from dualtrack.core.audit import audit_entry, audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, PermissionDenied, ValidationFailed, require_text
from dualtrack.core.jobs import job_start
from dualtrack.core.models import AuditAction, AuditEntry, Job, User
from dualtrack.core.validators import normalize_id_number, normalize_mobile
from dualtrack.health.access.cases import (
    CaseAbility,
    ContactAbility,
    contact_permissions,
    may_export_cases,
    require_case,
    require_contact,
    require_create_case,
)
from dualtrack.health.models import (
    Case,
    CaseClassification,
    CaseOrigin,
    ClassificationChange,
    Contact,
    QuarantineOrder,
)

LINE_LIST_EXPORT_JOB = "health.line_list_export"
MAX_AGE = 130


@dataclass
class CaseInput:
    """What a case is entered or edited with. ``resident`` is the resident (read through the
    user's scope by ID number) the case is, if any: their name, numbers and area are copied."""

    classification: str
    report_date: datetime.date
    origin: str
    name: str = ""
    gender: str = ""
    age: int | None = None
    id_number: str = ""
    phone: str = ""
    area: Area | None = None
    resident: Resident | None = None
    onset_date: datetime.date | None = None
    sampling_date: datetime.date | None = None
    isolation_date: datetime.date | None = None
    exposure_region_code: str = ""
    quarantine_order: QuarantineOrder | None = None
    infected_by: Case | None = None
    note: str = ""
    reason: str = ""  # why the classification changed, when it does


def _refuse(field_name: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed.for_field(field_name, message, code=code)


def _check_dates(data: CaseInput, today: datetime.date) -> None:
    """The dates of a case in the order they happen: sampling and onset on or before the
    report, none in the future; an asymptomatic infection has no onset, but a sampling date."""
    dates = {
        "onset_date": data.onset_date,
        "sampling_date": data.sampling_date,
        "report_date": data.report_date,
        "isolation_date": data.isolation_date,
    }
    for name, value in dates.items():
        if value is not None and value > today:
            raise _refuse(name, _("This date is in the future."), "date_in_future")
    if data.onset_date is not None and data.onset_date > data.report_date:
        raise _refuse(
            "onset_date",
            _("The onset date (%(onset)s) is after the report date (%(report)s).")
            % {"onset": data.onset_date.isoformat(), "report": data.report_date.isoformat()},
            "onset_after_report",
        )
    if data.sampling_date is not None and data.sampling_date > data.report_date:
        raise _refuse(
            "sampling_date",
            _("The sampling date (%(sampling)s) is after the report date (%(report)s).")
            % {
                "sampling": data.sampling_date.isoformat(),
                "report": data.report_date.isoformat(),
            },
            "sampling_after_report",
        )
    if data.classification == CaseClassification.ASYMPTOMATIC:
        if data.onset_date is not None:
            raise _refuse(
                "onset_date",
                _("An asymptomatic infection has no onset date."),
                "asymptomatic_onset",
            )
        if data.sampling_date is None:
            raise _refuse(
                "sampling_date",
                _("An asymptomatic infection needs its sampling date."),
                "asymptomatic_sampling",
            )


def _check_origin(data: CaseInput) -> tuple[str, str]:
    """The region of exposure's code and name: required for an imported case (GB/T 2260),
    none for a local one."""
    if data.origin not in CaseOrigin.values:
        raise _refuse("origin", _("Choose imported or local."), "invalid_origin")
    code = (data.exposure_region_code or "").strip()
    if data.origin == CaseOrigin.LOCAL:
        return "", ""
    if not code:
        raise _refuse(
            "exposure_region_code",
            _("An imported case needs the region of exposure."),
            "region_required",
        )
    name = region_name(code) if len(code) == 6 and code.isdigit() else None
    if name is None:
        raise _refuse(
            "exposure_region_code",
            _("Not a region code of GB/T 2260."),
            "unknown_region",
        )
    return code, name


def _age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass
class _Person:
    area: Area
    name: str
    gender: str
    age: int
    id_number: str
    phone: str


def _person(data: CaseInput, today: datetime.date) -> _Person:
    """Who the case is: a resident's record copied, or what was entered."""
    if data.resident is not None:
        resident = data.resident
        return _Person(
            area=resident.area,
            name=resident.name,
            gender=resident.gender,
            age=_age_on(resident.birth_date, today),
            id_number=resident.id_number,
            phone=resident.phone,
        )
    if data.area is None:
        raise _refuse("area_id", _("Choose the area answerable for the case."), "area_required")
    name = require_text("name", data.name, max_length=50)
    if data.gender not in Gender.values:
        raise _refuse("gender", _("Choose the gender."), "invalid_gender")
    if data.age is None or not 0 <= data.age <= MAX_AGE:
        raise _refuse("age", _("Enter an age from 0 to 130."), "invalid_age")
    id_number = phone = ""
    if data.id_number:
        try:
            id_number = normalize_id_number(data.id_number)
        except ValidationError as exc:
            raise _refuse("id_number", exc.messages[0], "invalid_id_number") from exc
    if data.phone:
        try:
            phone = normalize_mobile(data.phone)
        except ValidationError as exc:
            raise _refuse("phone", exc.messages[0], "invalid_phone") from exc
    return _Person(data.area, name, data.gender, data.age, id_number, phone)


def _next_number(report_date: datetime.date) -> str:
    prefix = f"{report_date:%Y}-"
    taken = Case.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def _apply(case: Case, data: CaseInput, person: _Person, region: tuple[str, str]) -> None:
    case.area = person.area
    case.is_resident = data.resident is not None
    case.resident = data.resident
    case.name = person.name
    case.gender = person.gender
    case.age = person.age
    case.id_number = person.id_number
    case.id_digest = lookup_digest(person.id_number) if person.id_number else ""
    case.phone = person.phone
    case.phone_digest = lookup_digest(person.phone) if person.phone else ""
    case.onset_date = data.onset_date
    case.sampling_date = data.sampling_date
    case.report_date = data.report_date
    case.isolation_date = data.isolation_date
    case.origin = data.origin
    case.exposure_region_code, case.exposure_region_name = region
    case.quarantine_order = data.quarantine_order
    case.infected_by = data.infected_by
    case.note = require_text("note", data.note, max_length=300, required=False)


def _validated(data: CaseInput) -> tuple[_Person, tuple[str, str]]:
    if data.classification not in CaseClassification.values:
        raise _refuse("classification", _("Choose a classification."), "invalid_classification")
    today = timezone.localdate()
    _check_dates(data, today)
    return _person(data, today), _check_origin(data)


def case_create(*, actor: User, data: CaseInput) -> Case:
    """Enter a case into the line list, with the first line of its classification history."""
    person, region = _validated(data)
    require_create_case(actor, person.area)
    reason = require_text("reason", data.reason, max_length=300, required=False)
    with transaction.atomic():
        case = Case(classification=data.classification, created_by=actor)
        _apply(case, data, person, region)
        case.number = _next_number(data.report_date)
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError as exc:  # two cases entered at once took the same number
            raise Conflict(_("Another case was entered at the same moment: try again.")) from exc
        ClassificationChange.objects.create(
            case=case,
            classification=case.classification,
            reason=reason,
            changed_by=actor,
            changed_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=case,
            area_code=case.area.code,
            after=snapshot(case),
        )
    return case


def case_update(*, actor: User, case: Case, data: CaseInput) -> Case:
    """Edit a case; a change of classification is kept in its history with the reason."""
    require_case(actor, case, CaseAbility.MANAGE)
    person, region = _validated(data)
    if person.area.pk != case.area_id:
        require_create_case(actor, person.area)
    if data.infected_by is not None and data.infected_by.pk == case.pk:
        raise _refuse("infected_by_id", _("A case cannot be its own source."), "self_source")
    reason = require_text("reason", data.reason, max_length=300, required=False)
    previous = case.classification
    if previous != data.classification and not reason:
        raise _refuse("reason", _("Say why the classification changes."), "reason_required")
    with transaction.atomic():
        before = snapshot(case)
        _apply(case, data, person, region)
        case.classification = data.classification
        case.save()
        if previous != case.classification:
            ClassificationChange.objects.create(
                case=case,
                classification=case.classification,
                previous=previous,
                reason=reason,
                changed_by=actor,
                changed_at=timezone.now(),
            )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=case,
            area_code=case.area.code,
            before=before,
            after=snapshot(case),
            note=reason,
        )
    return case


def case_reclassify(*, actor: User, case: Case, classification: str, reason: str) -> Case:
    """Change a case's classification (kept in its history, audited)."""
    require_case(actor, case, CaseAbility.MANAGE)
    if classification not in CaseClassification.values:
        raise _refuse("classification", _("Choose a classification."), "invalid_classification")
    reason = require_text("reason", reason, max_length=300)
    if classification == case.classification:
        raise _refuse(
            "classification",
            _("The case is already classified so."),
            "same_classification",
        )
    with transaction.atomic():
        before = snapshot(case, ["classification"])
        previous = case.classification
        case.classification = classification
        case.save(update_fields=["classification"])
        ClassificationChange.objects.create(
            case=case,
            classification=classification,
            previous=previous,
            reason=reason,
            changed_by=actor,
            changed_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=case,
            area_code=case.area.code,
            before=before,
            after=snapshot(case, ["classification"]),
            note=reason,
        )
    return case


def case_unmasked_view(*, actor: User, case: Case, note: str) -> None:
    """Before showing a case's full numbers: refuse a role that may not, record that this one
    did."""
    require_case(actor, case, CaseAbility.VIEW_PERSONAL_DATA)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.VIEW_PERSONAL_DATA,
            instance=case,
            area_code=case.area.code,
            note=note,
        )


def contacts_unmasked_view(*, actor: User, contacts: list[Contact], note: str) -> None:
    """Before showing contacts' full numbers: each one the role may see unmasked is recorded
    (one entry per contact); a list holding none such is refused."""
    for contact in contacts:
        require_contact(actor, contact, ContactAbility.SEE)
    allowed = [c for c in contacts if _may_unmask(actor, c)]
    if contacts and not allowed:
        raise PermissionDenied()
    with transaction.atomic():
        AuditEntry.objects.bulk_create(
            audit_entry(
                actor=actor,
                action=AuditAction.VIEW_PERSONAL_DATA,
                instance=contact,
                area_code=contact.area.code,
                note=note,
            )
            for contact in allowed
        )


def _may_unmask(user: User, contact: Contact) -> bool:
    return contact_permissions(user, contact).view_personal_data


def line_list_export_start(*, actor: User, since: datetime.date, until: datetime.date) -> Job:
    """Queue the export of the line list (cases reported from ``since`` to ``until`` whose
    numbers the actor may see) as a job of the actor's."""
    if not may_export_cases(actor):
        raise PermissionDenied()
    if until < since:
        raise _refuse("until", _("The end comes on or after the start."), "period_reversed")
    return job_start(
        actor=actor,
        kind=LINE_LIST_EXPORT_JOB,
        label=_("Export the line list, %(since)s to %(until)s")
        % {"since": since.isoformat(), "until": until.isoformat()},
        params={
            "since": since.isoformat(),
            "until": until.isoformat(),
            "back": reverse("health_case_list"),
            "back_label": str(_("Line list")),
        },
    )


def line_list_exported(*, actor: User, cases: list[Case], note: str) -> None:
    """Record, on each case, that the actor exported it with its full numbers."""
    if not may_export_cases(actor):
        raise PermissionDenied()
    with transaction.atomic():
        AuditEntry.objects.bulk_create(
            audit_entry(
                actor=actor,
                action=AuditAction.VIEW_PERSONAL_DATA,
                instance=case,
                area_code=case.area.code,
                note=note,
            )
            for case in cases
        )
