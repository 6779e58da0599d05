"""Writing the enterprise registry: register, correct, suspend and resume an enterprise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises import access
from dualtrack.enterprises.figures import cell_key
from dualtrack.enterprises.models import (
    Enterprise,
    IndustryDivision,
    ResumptionStatus,
    SizeClass,
)
from dualtrack.enterprises.services import fields
from dualtrack.enterprises.services.working_copy import figures_touch


@dataclass(frozen=True)
class EnterpriseData:
    """Validated registry fields, shared by the create and update services and the importer."""

    credit_code: str
    name: str
    legal_representative: str
    contact_name: str
    contact_phone: str
    address: str
    town: Area
    division: IndustryDivision | None
    above_scale: bool
    size_class: str
    key_enterprise: bool
    normal_workforce: int


def credit_code_taken() -> ValidationFailed:
    return ValidationFailed.for_field(
        "credit_code",
        _("An enterprise with this unified social credit code is already registered."),
        code="credit_code_taken",
    )


def clean_enterprise(
    *,
    credit_code: Any,
    name: Any,
    town: Area | None,
    legal_representative: Any = "",
    contact_name: Any = "",
    contact_phone: Any = "",
    address: Any = "",
    division: IndustryDivision | None = None,
    above_scale: bool = False,
    size_class: str = SizeClass.SMALL,
    key_enterprise: bool = False,
    normal_workforce: Any = 0,
) -> EnterpriseData:
    """Check every field; all problems are reported at once."""
    errors: fields.Errors = []
    code = fields.credit_code(errors, credit_code)
    clean_name = fields.text(errors, "name", name, 200, required=True)
    legal = fields.text(errors, "legal_representative", legal_representative, 50, required=False)
    contact = fields.text(errors, "contact_name", contact_name, 50, required=False)
    phone = fields.mobile(errors, "contact_phone", contact_phone, required=False)
    clean_address = fields.text(errors, "address", address, 200, required=False)
    if town is None:
        errors.append({"field": "town", "message": _("Choose the enterprise's town.")})
    elif town.kind != AreaKind.TOWN:
        errors.append({"field": "town", "message": _("An enterprise is registered in a town.")})
    if size_class not in SizeClass.values:
        errors.append({"field": "size_class", "message": _("Choose a size class from the list.")})
    workforce = fields.count(errors, "normal_workforce", normal_workforce)
    if above_scale and division is not None and division.sector.code not in "BCD":
        errors.append(
            {
                "field": "above_scale",
                "message": _(
                    "Above-scale industrial enterprises are in mining, manufacturing or "
                    "utilities (sections B, C, D)."
                ),
            }
        )
    fields.raise_if(errors)
    assert town is not None
    return EnterpriseData(
        credit_code=code,
        name=clean_name,
        legal_representative=legal,
        contact_name=contact,
        contact_phone=phone,
        address=clean_address,
        town=town,
        division=division,
        above_scale=bool(above_scale),
        size_class=size_class,
        key_enterprise=bool(key_enterprise),
        normal_workforce=workforce,
    )


def apply_data(enterprise: Enterprise, data: EnterpriseData) -> Enterprise:
    """Copy validated fields onto an (unsaved or locked) enterprise, digests included."""
    enterprise.credit_code = data.credit_code
    enterprise.name = data.name
    enterprise.legal_representative = data.legal_representative
    enterprise.contact_name = data.contact_name
    enterprise.contact_phone = data.contact_phone
    enterprise.contact_phone_digest = (
        lookup_digest(data.contact_phone) if data.contact_phone else ""
    )
    enterprise.address = data.address
    enterprise.area = data.town
    enterprise.division = data.division
    enterprise.sector_id = data.division.sector_id if data.division else None
    enterprise.above_scale = data.above_scale
    enterprise.size_class = data.size_class
    enterprise.key_enterprise = data.key_enterprise
    enterprise.normal_workforce = data.normal_workforce
    return enterprise


def enterprise_create(*, actor: User, data: EnterpriseData) -> Enterprise:
    """Register an enterprise in a town within the actor's scope."""
    scope_for(actor).require(data.town, Permission.MANAGE_ENTERPRISES)
    enterprise = apply_data(Enterprise(), data)
    with transaction.atomic():
        if Enterprise.objects.filter(credit_code=data.credit_code).exists():
            raise credit_code_taken()
        try:
            with transaction.atomic():
                enterprise.save()
        except IntegrityError as exc:  # registered concurrently
            raise credit_code_taken() from exc
        figures_touch([cell_key(enterprise)])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=enterprise,
            area_code=data.town.code,
            after=snapshot(enterprise),
        )
    return enterprise


def enterprise_update(*, actor: User, enterprise: Enterprise, data: EnterpriseData) -> Enterprise:
    """Correct an enterprise's registry entry (a move to another town needs scope on both)."""
    scope = scope_for(actor)
    access.require_manage(actor, enterprise)
    scope.require(data.town, Permission.MANAGE_ENTERPRISES)
    with transaction.atomic():
        current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if Enterprise.objects.filter(credit_code=data.credit_code).exclude(pk=current.pk).exists():
            raise credit_code_taken()
        before = snapshot(current)
        old_cell = cell_key(current)
        apply_data(current, data)
        current.save()
        figures_touch([old_cell, cell_key(current)])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            area_code=current.area.code,
            before=before,
            after=snapshot(current),
        )
    return current


def enterprise_suspend(*, actor: User, enterprise: Enterprise, reason: str) -> Enterprise:
    """Stop a resumed enterprise's work after an inspection, with the reason."""
    access.require_inspect(actor, enterprise)
    errors: fields.Errors = []
    clean_reason = fields.text(errors, "reason", reason, 300, required=True)
    fields.raise_if(errors)
    with transaction.atomic():
        current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if current.status != ResumptionStatus.RESUMED:
            raise Conflict(_("Only a resumed enterprise can be suspended."), code="not_resumed")
        before = snapshot(current)
        current.status = ResumptionStatus.SUSPENDED
        current.suspension_reason = clean_reason
        current.save(update_fields=["status", "suspension_reason"])
        figures_touch([cell_key(current)])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            area_code=current.area.code,
            before=before,
            after=snapshot(current),
            note="suspended",
        )
    return current


def enterprise_resume(*, actor: User, enterprise: Enterprise) -> Enterprise:
    """Let a suspended enterprise work again once it has put things right."""
    access.require_inspect(actor, enterprise)
    with transaction.atomic():
        current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if current.status != ResumptionStatus.SUSPENDED:
            raise Conflict(_("The enterprise is not suspended."), code="not_suspended")
        before = snapshot(current)
        current.status = ResumptionStatus.RESUMED
        current.suspension_reason = ""
        current.save(update_fields=["status", "suspension_reason"])
        figures_touch([cell_key(current)])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            area_code=current.area.code,
            before=before,
            after=snapshot(current),
            note="resumed",
        )
    return current
