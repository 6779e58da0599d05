"""Introducers: registered by the group, or by themselves with a one-time code; the workers each
is counted for. One worker (ID-number digest) counts once, for one introducer: the database's
unique constraint on ``Introduction`` holds it, and a second claim is refused with a message."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.core.validators import normalize_id_number
from dualtrack.enterprises.services import fields
from dualtrack.jobs import access
from dualtrack.jobs.models import (
    Application,
    CodePurpose,
    Introducer,
    IntroducerKind,
    Introduction,
)
from dualtrack.jobs.services.codes import Issued, code_check, code_issue, require_code_allowance

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@dataclass(frozen=True)
class IntroducerData:
    kind: str
    name: str
    id_number: str
    credit_code: str
    mobile: str

    @property
    def identity_digest(self) -> str:
        return lookup_digest(self.id_number or self.credit_code)


def clean_introducer(
    *, kind: Any, name: Any, mobile: Any, id_number: Any = "", credit_code: Any = ""
) -> IntroducerData:
    errors: fields.Errors = []
    if kind not in IntroducerKind.values:
        errors.append({"field": "kind", "message": _("Choose a person or an organisation.")})
    clean_name = fields.text(errors, "name", name, 100, required=True)
    clean_id, clean_code = "", ""
    if kind == IntroducerKind.PERSON:
        try:
            clean_id = normalize_id_number(str(id_number or "").strip())
        except ValidationError as exc:
            errors.append({"field": "id_number", "message": exc.messages[0]})
    elif kind == IntroducerKind.ORGANISATION:
        clean_code = fields.credit_code(errors, credit_code)
    phone = fields.mobile(errors, "mobile", mobile, required=True)
    fields.raise_if(errors)
    return IntroducerData(str(kind), clean_name, clean_id, clean_code, phone)


def _new_code() -> str:
    while True:
        code = "JS" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not Introducer.objects.filter(code=code).exists():
            return code


def _district_code() -> str:
    root = Area.objects.filter(parent__isnull=True).only("code").first()
    return root.code if root else ""


def _registered() -> Conflict:
    return Conflict(
        _("This person or organisation is already registered as an introducer."),
        code="introducer_registered",
        errors=[
            {
                "field": "id_number",
                "message": _("This person or organisation is already registered as an introducer."),
            }
        ],
    )


def _build(data: IntroducerData) -> Introducer:
    return Introducer(
        kind=data.kind,
        name=data.name,
        code=_new_code(),
        id_number=data.id_number,
        credit_code=data.credit_code,
        identity_digest=data.identity_digest,
        mobile=data.mobile,
        mobile_digest=lookup_digest(data.mobile),
    )


def introducer_register(*, actor: User, data: IntroducerData) -> Introducer:
    """The enterprise-services group registers an introducer (verified by the group)."""
    access.require_manage_introducers(actor)
    with transaction.atomic():
        if Introducer.objects.filter(identity_digest=data.identity_digest).exists():
            raise _registered()
        introducer = _build(data)
        introducer.registered_by = actor
        introducer.verified_at = timezone.now()
        try:
            with transaction.atomic():
                introducer.save()
        except IntegrityError as exc:
            raise _registered() from exc
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=introducer,
            area_code=_district_code(),
            after=snapshot(introducer),
        )
    return introducer


def introducer_self_register(*, data: IntroducerData) -> tuple[Introducer, Issued]:
    """A person or organisation registers themselves; they count once the code is entered. A
    registration not yet verified is replaced by the new one."""
    require_code_allowance(data.mobile)
    with transaction.atomic():
        existing = (
            Introducer.objects.select_for_update()
            .filter(identity_digest=data.identity_digest)
            .first()
        )
        if existing is not None and existing.verified_at is not None:
            raise _registered()
        if existing is None:
            introducer = _build(data)
            introducer.self_registered = True
            try:
                with transaction.atomic():
                    introducer.save()
            except IntegrityError as exc:
                raise _registered() from exc
        else:
            introducer = existing
            introducer.name, introducer.mobile = data.name, data.mobile
            introducer.mobile_digest = lookup_digest(data.mobile)
            introducer.save(update_fields=["name", "mobile", "mobile_digest"])
        issued = code_issue(mobile=data.mobile, introducer=introducer)
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            instance=introducer,
            area_code=_district_code(),
            after=snapshot(introducer),
            note="self-registered, awaiting the code",
        )
    return introducer, issued


def introducer_verify(*, key: str, code: str) -> Introducer:
    challenge = code_check(key=key, code=code, purpose=CodePurpose.INTRODUCER)
    assert challenge.introducer_id is not None  # an introducer's challenge names one
    with transaction.atomic():
        introducer = Introducer.objects.select_for_update().get(pk=challenge.introducer_id)
        if introducer.verified_at is None:
            introducer.verified_at = timezone.now()
            introducer.save(update_fields=["verified_at"])
            audit_record(
                actor=None,
                action=AuditAction.UPDATE,
                instance=introducer,
                area_code=_district_code(),
                after={"verified_at": str(introducer.verified_at)},
            )
    return introducer


# Naming an introducer ---------------------------------------------------------------------------


def introducer_by_code(code: str, field: str = "introducer_code") -> Introducer | None:
    """The active introducer a job seeker or an enterprise names by code; None for no code."""
    text = (code or "").strip().upper()
    if not text:
        return None
    introducer = Introducer.objects.filter(code=text, verified_at__isnull=False).first()
    if introducer is None:
        raise ValidationFailed.for_field(
            field, _("No introducer has this code."), code="no_such_introducer"
        )
    return introducer


def _claimed_by_another(field: str) -> ValidationFailed:
    return ValidationFailed.for_field(
        field,
        _(
            "This worker is already counted for another introducer: a worker counts once, "
            "for one introducer."
        ),
        code="worker_claimed",
    )


def require_unclaimed(id_number_digest: str, introducer: Introducer, field: str) -> None:
    """Refuse naming ``introducer`` for a worker another introducer already counts."""
    other = (
        Introduction.objects.filter(id_number_digest=id_number_digest)
        .exclude(introducer=introducer)
        .exists()
    )
    if other:
        raise _claimed_by_another(field)


def introduction_claim(
    *, application: Application, introducer: Introducer, field: str = "introducer_code"
) -> Introduction:
    """Count the application's worker for ``introducer`` (inside the caller's transaction)."""
    require_unclaimed(application.id_number_digest, introducer, field)
    found = Introduction.objects.filter(id_number_digest=application.id_number_digest).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Introduction.objects.create(
                introducer=introducer,
                id_number_digest=application.id_number_digest,
                worker_name=application.applicant.name,
                application=application,
            )
    except IntegrityError as exc:
        raise _claimed_by_another(field) from exc


def introduction_hired(*, application: Application) -> None:
    """Mark the worker's introduction hired, at the first hire naming its introducer."""
    if application.introducer_id is None:
        return
    Introduction.objects.filter(
        id_number_digest=application.id_number_digest,
        introducer_id=application.introducer_id,
        hire__isnull=True,
    ).update(
        hire=application, enterprise_id=application.enterprise_id, hired_at=application.hired_at
    )
