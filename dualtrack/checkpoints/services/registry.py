"""Writing the registry: checkpoints, their staff, the ten-ones kit and shifts."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import VILLAGE_KINDS, Area, Cadre
from dualtrack.checkpoints.access import (
    Ability,
    checkpoint_abilities,
    may_staff,
    require_checkpoint,
    require_create_checkpoint,
)
from dualtrack.checkpoints.models import (
    Checkpoint,
    CheckpointKind,
    CheckpointStaff,
    CheckpointStatus,
    KitCheck,
    KitItem,
    Shift,
    new_qr_token,
)
from dualtrack.checkpoints.selectors.references import (
    cadre_for_write,
    shift_staff_for_write,
    staff_for_write,
)
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditAction, User

EDITABLE_FIELDS = (
    "name",
    "kind",
    "latitude",
    "longitude",
    "opens_at",
    "closes_at",
    "person_in_charge",
    "duty_team",
    "chat_group",
    "status",
)


def _error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": str(message)}


def _clean_checkpoint_fields(
    actor: User, fields: dict[str, Any], area: Area, current: Checkpoint | None = None
) -> dict[str, Any]:
    """Validate the registry fields given; every problem is reported, field by field."""
    errors: list[dict[str, str]] = []
    clean: dict[str, Any] = {}
    unknown = set(fields) - set(EDITABLE_FIELDS)
    for name in sorted(unknown):
        errors.append(_error(name, _("This field cannot be changed.")))
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name:
            errors.append(_error("name", _("Enter the checkpoint's name.")))
        elif len(name) > 100:
            errors.append(_error("name", _("At most %(n)d characters.") % {"n": 100}))
        clean["name"] = name
    if "kind" in fields:
        if fields["kind"] not in CheckpointKind.values:
            errors.append(_error("kind", _("Choose a kind of checkpoint.")))
        clean["kind"] = fields["kind"]
    if "status" in fields:
        if fields["status"] not in CheckpointStatus.values:
            errors.append(_error("status", _("Choose open, suspended or closed.")))
        clean["status"] = fields["status"]
    for name, bound in (("latitude", 90), ("longitude", 180)):
        if name in fields:
            value = fields[name]
            if value in (None, ""):
                clean[name] = None
                continue
            try:
                number = Decimal(str(value)).quantize(Decimal("0.000001"))
            except (InvalidOperation, ValueError):
                errors.append(_error(name, _("Enter a number.")))
                continue
            if not -bound <= number <= bound:
                errors.append(_error(name, _("Must lie between -%(n)d and %(n)d.") % {"n": bound}))
            clean[name] = number
    for name in ("opens_at", "closes_at"):
        if name in fields:
            value = fields[name]
            if value is not None and not isinstance(value, datetime.time):
                errors.append(_error(name, _("Enter a time as HH:MM.")))
            clean[name] = value
    if "person_in_charge" in fields:
        cadre = fields["person_in_charge"]
        if cadre is not None:
            # Found through the actor's scope (404 outside it), whatever the caller passed.
            cadre = cadre_for_write(
                user=actor,
                cadre=cadre,
                field="person_in_charge",
                current=current.person_in_charge if current is not None else None,
            )
        if isinstance(cadre, Cadre) and not (
            area.code.startswith(cadre.area.code) or cadre.area.code.startswith(area.code[:4])
        ):
            errors.append(
                _error("person_in_charge", _("The person in charge must work in this town."))
            )
        clean["person_in_charge"] = cadre
    for name, limit in (("duty_team", 200), ("chat_group", 100)):
        if name in fields:
            value = (fields[name] or "").strip()
            if len(value) > limit:
                errors.append(_error(name, _("At most %(n)d characters.") % {"n": limit}))
            clean[name] = value
    if errors:
        raise ValidationFailed(errors=errors)
    return clean


def _name_taken() -> ValidationFailed:
    return ValidationFailed.for_field(
        "name", _("This village already has a checkpoint of this name."), code="name_taken"
    )


_AUDITED = (*EDITABLE_FIELDS, "area", "qr_token_rotated_at")


def _snapshot(checkpoint: Checkpoint) -> dict[str, Any]:
    # core's snapshot leaves times of day as they are; the audit trail stores JSON.
    return {
        key: str(value) if isinstance(value, datetime.time) else value
        for key, value in snapshot(checkpoint, _AUDITED).items()
    }


def checkpoint_create(
    *,
    actor: User,
    area: Area,
    name: str,
    kind: str = CheckpointKind.VILLAGE_ENTRANCE,
    **fields: Any,
) -> Checkpoint:
    """Register a checkpoint at a village or community entrance."""
    require_create_checkpoint(actor, area)
    if area.kind not in VILLAGE_KINDS:
        raise ValidationFailed.for_field(
            "area",
            _("A checkpoint stands at a village or community entrance."),
            code="area_kind_not_allowed",
        )
    clean = _clean_checkpoint_fields(actor, {"name": name, "kind": kind, **fields}, area)
    with transaction.atomic():
        if Checkpoint.objects.filter(area=area, name=clean["name"]).exists():
            raise _name_taken()
        checkpoint = Checkpoint.objects.create(area=area, **clean)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=checkpoint,
            area_code=area.code,
            after=_snapshot(checkpoint),
        )
    return checkpoint


def checkpoint_update(*, actor: User, checkpoint: Checkpoint, **fields: Any) -> Checkpoint:
    """Change a checkpoint's details or status (open, suspended, closed)."""
    require_checkpoint(actor, checkpoint, Ability.MANAGE)
    clean = _clean_checkpoint_fields(actor, fields, checkpoint.area, checkpoint)
    given = checkpoint
    with transaction.atomic():
        checkpoint = (
            Checkpoint.objects.select_for_update().select_related("area").get(pk=checkpoint.pk)
        )
        if (
            "name" in clean
            and Checkpoint.objects.filter(area=checkpoint.area, name=clean["name"])
            .exclude(pk=checkpoint.pk)
            .exists()
        ):
            raise _name_taken()
        before = _snapshot(checkpoint)
        for name, value in clean.items():
            setattr(checkpoint, name, value)
            setattr(given, name, value)
        checkpoint.save(update_fields=list(clean))
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=checkpoint,
            area_code=checkpoint.area.code,
            before=before,
            after=_snapshot(checkpoint),
        )
    return checkpoint


def checkpoint_rotate_token(*, actor: User, checkpoint: Checkpoint) -> Checkpoint:
    """Issue a new QR link; posters with the old one stop working at once."""
    require_checkpoint(actor, checkpoint, Ability.MANAGE)
    with transaction.atomic():
        checkpoint.qr_token = new_qr_token()
        checkpoint.qr_token_rotated_at = timezone.now()
        checkpoint.save(update_fields=["qr_token", "qr_token_rotated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=checkpoint,
            area_code=checkpoint.area.code,
            note="QR token rotated",
        )
    return checkpoint


def _require_staff_users(checkpoint: Checkpoint, users: list[User], field: str) -> None:
    """Every user must be able to register at this checkpoint once on its staff."""
    refused = []
    for user in users:
        if not may_staff(user, checkpoint):
            refused.append(user)
    if refused:
        names = ", ".join(str(u) for u in refused)
        raise ValidationFailed.for_field(
            field,
            _("Not allowed to register passages at this checkpoint: %(names)s.") % {"names": names},
            code="staff_not_allowed",
        )


def checkpoint_staff_set(
    *, actor: User, checkpoint: Checkpoint, users: list[User] | list[int]
) -> None:
    """Replace who may register passages at this gate."""
    users = staff_for_write(user=actor, checkpoint=checkpoint, users=users, field="users")
    _require_staff_users(checkpoint, users, "users")
    with transaction.atomic():
        before = sorted(
            CheckpointStaff.objects.filter(checkpoint=checkpoint).values_list("user_id", flat=True)
        )
        CheckpointStaff.objects.filter(checkpoint=checkpoint).exclude(
            user__in=[u.pk for u in users]
        ).delete()
        CheckpointStaff.objects.bulk_create(
            [CheckpointStaff(checkpoint=checkpoint, user=u) for u in users],
            ignore_conflicts=True,
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=checkpoint,
            area_code=checkpoint.area.code,
            before={"staff": before},
            after={"staff": sorted(u.pk for u in users)},
        )
    for user in users:
        user.__dict__.pop("_dualtrack_staffed", None)


def kit_check(
    *, actor: User, checkpoint: Checkpoint, item: str, present: bool, note: str = ""
) -> KitCheck:
    """Record whether one of the ten ones is present, by whom and when."""
    # The staff at the gate check their own kit as well as the town's managers.
    require_checkpoint(actor, checkpoint, Ability.USE_KIT)
    if item not in KitItem.values:
        raise ValidationFailed.for_field("item", _("No such kit item."), code="unknown_item")
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationFailed.for_field("note", _("At most %(n)d characters.") % {"n": 200})
    with transaction.atomic():
        check, _created = KitCheck.objects.update_or_create(
            checkpoint=checkpoint,
            item=item,
            defaults={
                "present": bool(present),
                "note": note,
                "checked_by": actor,
                "checked_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=checkpoint,
            area_code=checkpoint.area.code,
            after={f"kit.{item}": bool(present)},
            note=note,
        )
    return check


MAX_SHIFT = datetime.timedelta(hours=24)


def shift_create(
    *,
    actor: User,
    checkpoint: Checkpoint,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    staff: list[User] | list[int],
) -> Shift:
    """Put a shift on the checkpoint's roster."""
    require_checkpoint(actor, checkpoint, Ability.MANAGE)
    errors = []
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
            errors.append(_error(name, _("Enter a date and time with its time zone.")))
    if not errors and starts_at is not None and ends_at is not None:
        if ends_at <= starts_at:
            errors.append(_error("ends_at", _("A shift ends after it starts.")))
        elif ends_at - starts_at > MAX_SHIFT:
            errors.append(_error("ends_at", _("A shift lasts at most 24 hours.")))
    if errors or starts_at is None or ends_at is None:
        raise ValidationFailed(errors=errors)
    staff = shift_staff_for_write(user=actor, checkpoint=checkpoint, users=staff, field="staff")
    _require_staff_users(checkpoint, staff, "staff")
    with transaction.atomic():
        shift = Shift.objects.create(
            checkpoint=checkpoint, starts_at=starts_at, ends_at=ends_at, created_by=actor
        )
        shift.staff.set(staff)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=shift,
            area_code=checkpoint.area.code,
            after={**snapshot(shift), "staff": sorted(u.pk for u in staff)},
        )
    return shift


def shift_handover(*, actor: User, shift: Shift, note: str) -> Shift:
    """Write the handover note for the next shift."""
    abilities = checkpoint_abilities(actor, shift.checkpoint)
    if not abilities.see:
        raise NotFound()
    on_shift = shift.staff.filter(pk=actor.pk).exists()
    if not on_shift and not abilities.manage:
        raise PermissionDenied()
    note = (note or "").strip()
    if not note:
        raise ValidationFailed.for_field("note", _("Write the handover note."), code="required")
    if len(note) > 2000:
        raise ValidationFailed.for_field("note", _("At most %(n)d characters.") % {"n": 2000})
    with transaction.atomic():
        before = snapshot(shift, ["handover_note"])
        shift.handover_note = note
        shift.save(update_fields=["handover_note"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=shift,
            area_code=shift.checkpoint.area.code,
            before=before,
            after=snapshot(shift, ["handover_note"]),
        )
    return shift
