"""Duty rosters: duties (the checkpoints' shifts and community duties), putting people on them,
their confirmation, and what they served. One person is never on two duties whose times
overlap: checked here under a lock, and on PostgreSQL held by an exclusion constraint too."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dualtrack.areas.access import cadre_get_for_write
from dualtrack.areas.models import Area, AreaKind
from dualtrack.checkpoints.selectors.checkpoints import shift_get_for
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    require_text,
)
from dualtrack.core.models import AuditAction, User
from dualtrack.volunteers import access, roster
from dualtrack.volunteers.models import (
    AssignmentStatus,
    BranchMember,
    Duty,
    DutyAssignment,
    DutyKind,
    PersonKind,
    Volunteer,
    VolunteerStatus,
)

MAX_DUTY = datetime.timedelta(hours=24)
MAX_NEEDED = 50
DUTY_AREA_KINDS = (AreaKind.VILLAGE, AreaKind.COMMUNITY)


def _needed(value: object) -> int:
    if not isinstance(value, int) or not 1 <= value <= MAX_NEEDED:
        raise ValidationFailed.for_field(
            "needed", _("People needed: a whole number from 1 to %(n)d.") % {"n": MAX_NEEDED}
        )
    return value


def _audit(actor: User, action: str, instance: object, area: Area, **changes: object) -> None:
    audit_record(actor=actor, action=action, instance=instance, area_code=area.code, **changes)  # type: ignore[arg-type]


def duty_for_shift(*, actor: User, shift_id: int, needed: int | None = None) -> Duty:
    """The duty of a checkpoint's shift (made the first time people are put on it), with the
    number of people it needs."""
    shift = shift_get_for(user=actor, shift_id=shift_id)
    area = shift.checkpoint.area
    access.require_area(actor, area, manage=True)
    with transaction.atomic():
        duty = Duty.objects.filter(shift=shift).first()
        if duty is None:
            duty = Duty.objects.create(
                kind=DutyKind.SHIFT,
                area=area,
                shift=shift,
                title=shift.checkpoint.name,
                starts_at=shift.starts_at,
                ends_at=shift.ends_at,
                needed=_needed(needed) if needed is not None else roster.DEFAULT_SHIFT_NEEDED,
                created_by=actor,
            )
            _audit(actor, AuditAction.CREATE, duty, area, after=snapshot(duty))
        elif needed is not None and needed != duty.needed:
            before = snapshot(duty, ["needed"])
            duty.needed = _needed(needed)
            duty.save(update_fields=["needed"])
            _audit(actor, AuditAction.UPDATE, duty, area, before=before, after={"needed": needed})
    return duty


def duty_create(
    *,
    actor: User,
    area: Area,
    title: object,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    needed: object,
) -> Duty:
    """A community duty (a gate, deliveries, door-to-door) in a village or community."""
    access.require_area(actor, area, manage=True)
    if area.kind not in DUTY_AREA_KINDS:
        raise ValidationFailed.for_field(
            "area", _("A duty is in a village or community."), code="area_kind_not_allowed"
        )
    text = require_text("title", title, max_length=100)
    if starts_at is None or ends_at is None:
        raise ValidationFailed.for_field("starts_at", _("Enter when the duty starts and ends."))
    if ends_at <= starts_at:
        raise ValidationFailed.for_field("ends_at", _("A duty ends after it starts."))
    if ends_at - starts_at > MAX_DUTY:
        raise ValidationFailed.for_field("ends_at", _("A duty lasts at most 24 hours."))
    count = _needed(needed)
    with transaction.atomic():
        duty = Duty.objects.create(
            kind=DutyKind.COMMUNITY,
            area=area,
            title=text,
            starts_at=starts_at,
            ends_at=ends_at,
            needed=count,
            created_by=actor,
        )
        _audit(actor, AuditAction.CREATE, duty, area, after=snapshot(duty))
    return duty


def _person(
    actor: User, kind: str, person_id: int
) -> tuple[str, str, dict[str, Volunteer | BranchMember | object]]:
    """(key, name, the assignment's person field) of the person a roster names; one out of
    the actor's sight is not found, like one that does not exist."""
    if kind == PersonKind.VOLUNTEER:
        volunteer = access.volunteers_visible(actor).filter(pk=person_id).first()
        if volunteer is None:
            raise NotFound(
                errors=[{"field": "person_id", "message": str(NotFound.default_message)}]
            )
        if volunteer.status != VolunteerStatus.APPROVED:
            raise ValidationFailed.for_field(
                "person_id", _("Only an approved volunteer is put on duty."), code="not_approved"
            )
        return roster.person_key(kind, volunteer.pk), volunteer.name, {"volunteer": volunteer}
    if kind == PersonKind.CADRE:
        cadre = cadre_get_for_write(user=actor, cadre_id=person_id, field="person_id")
        return roster.person_key(kind, cadre.pk), cadre.name, {"cadre": cadre}
    if kind == PersonKind.PARTY_MEMBER:
        member = (
            BranchMember.objects.filter(branch__in=access.branches_visible(actor), pk=person_id)
            .select_related("branch")
            .first()
        )
        if member is None:
            raise NotFound(
                errors=[{"field": "person_id", "message": str(NotFound.default_message)}]
            )
        key = roster.person_key(kind, member.pk, member.cadre_id)
        return key, member.name, {"member": member}
    raise ValidationFailed.for_field("person_kind", _("Choose volunteer, cadre or party member."))


def _overlap_error(name: str, other: DutyAssignment) -> Conflict:
    start = date_format(timezone.localtime(other.starts_at), "SHORT_DATETIME_FORMAT")
    end = date_format(timezone.localtime(other.ends_at), "SHORT_DATETIME_FORMAT")
    return Conflict(
        _("%(name)s is already on duty then: %(duty)s, %(start)s – %(end)s.")
        % {"name": name, "duty": other.duty.title, "start": start, "end": end},
        code="overlapping_duty",
        errors=[{"field": "person_id", "message": _("Already on an overlapping duty.")}],
    )


def _lock_person(key: str, duty: Duty) -> None:
    """Serialise the rosters of one person: on PostgreSQL a transaction-level advisory lock on
    the person's key; SQLite has one writer, taken here before the check is read."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"duty:{key}"])
    else:
        Duty.objects.filter(pk=duty.pk).update(needed=F("needed"))


def duty_assign(*, actor: User, duty: Duty, person_kind: str, person_id: int) -> DutyAssignment:
    """Put a volunteer, a cadre or a party member on a duty; refused when they are on another
    duty at an overlapping time."""
    access.require_duty(actor, duty, manage=True)
    key, name, person = _person(actor, person_kind, person_id)
    with transaction.atomic():
        _lock_person(key, duty)
        if DutyAssignment.objects.filter(duty=duty, person_key=key).exists():
            raise Conflict(_("%(name)s is already on this duty.") % {"name": name}, code="on_duty")
        clash = (
            DutyAssignment.objects.filter(
                person_key=key, starts_at__lt=duty.ends_at, ends_at__gt=duty.starts_at
            )
            .select_related("duty")
            .first()
        )
        if clash is not None:
            raise _overlap_error(name, clash)
        try:
            with transaction.atomic():
                assignment = DutyAssignment.objects.create(
                    duty=duty,
                    person_kind=person_kind,
                    person_key=key,
                    name=name,
                    starts_at=duty.starts_at,
                    ends_at=duty.ends_at,
                    **person,
                )
        except IntegrityError as exc:  # the exclusion constraint, a concurrent roster
            raise Conflict(
                _("%(name)s is already on an overlapping duty.") % {"name": name},
                code="overlapping_duty",
            ) from exc
        _audit(actor, AuditAction.CREATE, assignment, duty.area, after=snapshot(assignment))
    return assignment


def _locked(assignment: DutyAssignment) -> DutyAssignment:
    return (
        DutyAssignment.objects.select_for_update()
        .select_related("duty__area")
        .get(pk=assignment.pk)
    )


def assignment_confirm(*, actor: User, assignment: DutyAssignment) -> DutyAssignment:
    """The person confirms they will be there (or one who manages the duty, on their behalf)."""
    access.require_duty(actor, assignment.duty)
    if not access.may_confirm(actor, assignment):
        raise PermissionDenied()
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.status != AssignmentStatus.ASSIGNED:
            raise Conflict(_("This duty has already been confirmed."), code="already_confirmed")
        if assignment.ends_at <= timezone.now():
            raise Conflict(_("This duty is over."), code="duty_over")
        before = snapshot(assignment, ["status"])
        assignment.status = AssignmentStatus.CONFIRMED
        assignment.confirmed_at = timezone.now()
        assignment.save(update_fields=["status", "confirmed_at"])
        _audit(
            actor,
            AuditAction.UPDATE,
            assignment,
            assignment.duty.area,
            before=before,
            after=snapshot(assignment, ["status"]),
        )
    return assignment


def assignment_record(
    *, actor: User, assignment: DutyAssignment, worked: bool, minutes: int | None = None
) -> DutyAssignment:
    """Record whether the person worked the duty (the hours served count only these), and for
    how long if not the whole duty."""
    access.require_duty(actor, assignment.duty, manage=True)
    full = roster.duty_minutes(assignment.starts_at, assignment.ends_at)
    if minutes is not None and not (isinstance(minutes, int) and 1 <= minutes <= full):
        raise ValidationFailed.for_field(
            "minutes", _("Minutes worked: from 1 to the duty's %(n)d.") % {"n": full}
        )
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.starts_at > timezone.now():
            raise Conflict(_("This duty has not started yet."), code="not_started")
        before = snapshot(assignment, ["status", "worked_minutes"])
        assignment.status = AssignmentStatus.WORKED if worked else AssignmentStatus.ABSENT
        assignment.worked_minutes = (minutes or full) if worked else None
        assignment.save(update_fields=["status", "worked_minutes"])
        _audit(
            actor,
            AuditAction.UPDATE,
            assignment,
            assignment.duty.area,
            before=before,
            after=snapshot(assignment, ["status", "worked_minutes"]),
        )
    return assignment


def assignment_remove(*, actor: User, assignment: DutyAssignment) -> None:
    """Take a person off a duty that has not been worked."""
    access.require_duty(actor, assignment.duty, manage=True)
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.status in (AssignmentStatus.WORKED, AssignmentStatus.ABSENT):
            raise Conflict(_("A duty already recorded stays on the roster."), code="recorded")
        _audit(
            actor, AuditAction.DELETE, assignment, assignment.duty.area, before=snapshot(assignment)
        )
        assignment.delete()
