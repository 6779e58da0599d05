"""Writing households and residents, and revealing a resident's personal data (audited)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualtrack.areas import access
from dualtrack.areas.models import (
    HOUSEHOLD_AREA_KINDS,
    Area,
    Gender,
    Household,
    Relation,
    ResidenceKind,
    Resident,
)
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, ValidationFailed, require_text
from dualtrack.core.models import AuditAction, User
from dualtrack.core.validators import checked_text, normalize_id_number, normalize_mobile


def _require_household_area(area: Area) -> None:
    if area.kind not in HOUSEHOLD_AREA_KINDS:
        raise ValidationFailed.for_field(
            "area",
            _("Households are registered in a group, village or community."),
            code="area_kind_not_allowed",
        )


def household_create(*, actor: User, area: Area, number: str, address: str) -> Household:
    """Register a household in a group (or a village/community without groups)."""
    access.require(actor, area, Permission.MANAGE_PEOPLE)
    _require_household_area(area)
    number = require_text("number", number, max_length=32)
    address = require_text("address", address, max_length=200)
    with transaction.atomic():
        if Household.objects.filter(area=area, number=number).exists():
            raise ValidationFailed.for_field(
                "number", _("This household number is already used here."), code="number_taken"
            )
        household = Household.objects.create(area=area, number=number, address=address)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=household,
            area_code=area.code,
            after=snapshot(household),
        )
    return household


def household_update(*, actor: User, household: Household, number: str, address: str) -> Household:
    """Change a household's number or address."""
    access.require(actor, household.area, Permission.MANAGE_PEOPLE)
    number = require_text("number", number, max_length=32)
    address = require_text("address", address, max_length=200)
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if (
            Household.objects.filter(area_id=household.area_id, number=number)
            .exclude(pk=household.pk)
            .exists()
        ):
            raise ValidationFailed.for_field(
                "number", _("This household number is already used here."), code="number_taken"
            )
        before = snapshot(household)
        household.number, household.address = number, address
        household.save(update_fields=["number", "address"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=household,
            area_code=household.area.code,
            before=before,
            after=snapshot(household),
        )
    return household


def household_delete(*, actor: User, household: Household) -> None:
    """Remove a household that has no residents left."""
    access.require(actor, household.area, Permission.MANAGE_PEOPLE)
    with transaction.atomic():
        if household.residents.exists():
            raise Conflict(
                _("Move or remove the household's residents first."), code="household_not_empty"
            )
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=household,
            area_code=household.area.code,
            before=snapshot(household),
        )
        household.delete()


@dataclass(frozen=True)
class ResidentData:
    """Validated resident fields, shared by the create and update services and the importer."""

    name: str
    id_number: str
    phone: str
    gender: str
    birth_date: datetime.date
    relation: str
    residence: str


def clean_resident(
    *,
    name: str,
    id_number: str,
    phone: str = "",
    relation: str = Relation.OTHER,
    residence: str = ResidenceKind.REGISTERED,
) -> ResidentData:
    """Validate and normalise resident input; every problem is reported, field by field."""
    errors: list[dict[str, str]] = []
    clean_name, name_problem = checked_text(name, max_length=50)
    if not clean_name:
        errors.append({"field": "name", "message": _("Enter the resident's name.")})
    elif name_problem is not None:
        errors.append({"field": "name", "message": name_problem})
    clean_id = ""
    try:
        clean_id = normalize_id_number(id_number)
    except ValidationError as exc:
        errors.append({"field": "id_number", "message": exc.messages[0]})
    clean_phone = ""
    if (phone or "").strip():
        try:
            clean_phone = normalize_mobile(phone)
        except ValidationError as exc:
            errors.append({"field": "phone", "message": exc.messages[0]})
    if relation not in Relation.values:
        errors.append({"field": "relation", "message": _("Choose a relation from the list.")})
    if residence not in ResidenceKind.values:
        errors.append(
            {"field": "residence", "message": _("Choose a residence kind from the list.")}
        )
    if errors:
        raise ValidationFailed(errors=errors)
    # GB 11643: characters 7–14 are the birth date; the 17th is odd for men, even for women.
    birth = datetime.date(int(clean_id[6:10]), int(clean_id[10:12]), int(clean_id[12:14]))
    gender = Gender.MALE if int(clean_id[16]) % 2 else Gender.FEMALE
    return ResidentData(clean_name, clean_id, clean_phone, gender, birth, relation, residence)


def build_resident(household: Household, data: ResidentData) -> Resident:
    """An unsaved Resident with its digests filled in (for create and bulk import)."""
    return Resident(
        household=household,
        area_id=household.area_id,
        name=data.name,
        gender=data.gender,
        birth_date=data.birth_date,
        id_number=data.id_number,
        id_number_digest=lookup_digest(data.id_number),
        phone=data.phone,
        phone_digest=lookup_digest(data.phone) if data.phone else "",
        relation=data.relation,
        residence=data.residence,
    )


def _id_number_taken() -> ValidationFailed:
    return ValidationFailed.for_field(
        "id_number",
        _("A resident with this ID number is already registered."),
        code="id_number_taken",
    )


def resident_create(
    *,
    actor: User,
    household: Household,
    name: str,
    id_number: str,
    phone: str = "",
    relation: str = Relation.OTHER,
    residence: str = ResidenceKind.REGISTERED,
) -> Resident:
    """Register a resident in a household; an ID number is registered once in the district."""
    access.require(actor, household.area, Permission.MANAGE_PEOPLE)
    data = clean_resident(
        name=name, id_number=id_number, phone=phone, relation=relation, residence=residence
    )
    resident = build_resident(household, data)
    with transaction.atomic():
        if Resident.objects.filter(id_number_digest=resident.id_number_digest).exists():
            raise _id_number_taken()
        try:
            with transaction.atomic():
                resident.save()
        except IntegrityError as exc:  # a concurrent registration of the same person
            raise _id_number_taken() from exc
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=resident,
            area_code=household.area.code,
            after=snapshot(resident),
        )
    return resident


def resident_update(
    *,
    actor: User,
    resident: Resident,
    name: str,
    id_number: str,
    phone: str = "",
    relation: str = Relation.OTHER,
    residence: str = ResidenceKind.REGISTERED,
    household: Household | None = None,
) -> Resident:
    """Correct a resident's details, or move them to another household in scope."""
    scope = scope_for(actor)
    scope.require(resident.area, Permission.MANAGE_PEOPLE)
    if household is not None:
        scope.require_referenced(household_id=household.area)
        scope.require(household.area, Permission.MANAGE_PEOPLE)
    data = clean_resident(
        name=name, id_number=id_number, phone=phone, relation=relation, residence=residence
    )
    with transaction.atomic():
        current = Resident.objects.select_for_update().get(pk=resident.pk)
        before = snapshot(current)
        updated = build_resident(household or current.household, data)
        updated.pk, updated.created_at = current.pk, current.created_at
        if (
            Resident.objects.filter(id_number_digest=updated.id_number_digest)
            .exclude(pk=current.pk)
            .exists()
        ):
            raise _id_number_taken()
        updated.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=updated,
            area_code=updated.household.area.code,
            before=before,
            after=snapshot(updated),
        )
    return updated


def resident_delete(*, actor: User, resident: Resident) -> None:
    """Remove a resident registered in error (moving away is an update, not a delete)."""
    access.require(actor, resident.area, Permission.MANAGE_PEOPLE)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=resident,
            area_code=resident.area.code,
            before=snapshot(resident),
        )
        resident.delete()


@dataclass(frozen=True)
class PersonalData:
    id_number: str
    phone: str


def resident_reveal(*, actor: User, resident: Resident, reason: str = "") -> PersonalData:
    """Return a resident's unmasked ID number and phone, recording the view in the audit trail."""
    access.require(actor, resident.area, Permission.VIEW_PERSONAL_DATA)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.VIEW_PERSONAL_DATA,
            instance=resident,
            area_code=resident.area.code,
            note=reason,
        )
    return PersonalData(id_number=resident.id_number, phone=resident.phone)
