"""Volunteers: the public sign-up, the village's review, revealing their numbers."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.areas.services.volunteer_logins import volunteer_login_create
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, PermissionDenied, ValidationFailed, require_text
from dualtrack.core.models import AuditAction, User
from dualtrack.core.validators import normalize_id_number, normalize_mobile
from dualtrack.volunteers import access
from dualtrack.volunteers.models import Volunteer, VolunteerStatus

VILLAGE_KINDS = (AreaKind.VILLAGE, AreaKind.COMMUNITY)
MAX_VILLAGES = 5
MAX_HOURS_PER_WEEK = 84
AUDITED = ["name", "mobile", "id_number", "skills", "hours_per_week", "status", "decline_reason"]


@dataclass(frozen=True)
class SignUp:
    name: str
    mobile: str
    id_number: str
    skills: str
    hours_per_week: int
    villages: list[Area]


def clean_sign_up(
    *,
    name: object,
    mobile: object,
    id_number: object,
    skills: object,
    hours_per_week: object,
    village_ids: list[int],
) -> SignUp:
    """Check a sign-up as typed; every problem at once, by field."""
    errors: list[dict[str, str]] = []

    def text(field: str, value: object, n: int, required: bool) -> str:
        try:
            return require_text(field, value, max_length=n, required=required)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
            return ""

    clean_name = text("name", name, 50, True)
    clean_skills = text("skills", skills, 200, False)
    clean_mobile = ""
    try:
        clean_mobile = normalize_mobile(str(mobile or ""))
    except ValidationError as exc:
        errors.append({"field": "mobile", "message": exc.messages[0]})
    clean_id = ""
    try:
        clean_id = normalize_id_number(str(id_number or ""))
    except ValidationError as exc:
        errors.append({"field": "id_number", "message": exc.messages[0]})
    hours = hours_per_week if isinstance(hours_per_week, int) else -1
    if not 1 <= hours <= MAX_HOURS_PER_WEEK:
        errors.append(
            {
                "field": "hours_per_week",
                "message": _("Hours a week: a whole number from 1 to %(n)d.")
                % {"n": MAX_HOURS_PER_WEEK},
            }
        )
    ids = sorted(set(village_ids))
    villages = list(Area.objects.filter(pk__in=ids, kind__in=VILLAGE_KINDS))
    if not ids:
        errors.append({"field": "villages", "message": _("Choose where you can serve.")})
    elif len(villages) != len(ids):
        errors.append({"field": "villages", "message": _("No such village or community.")})
    elif len(ids) > MAX_VILLAGES:
        errors.append(
            {
                "field": "villages",
                "message": _("Choose at most %(n)d villages or communities.") % {"n": MAX_VILLAGES},
            }
        )
    if errors:
        raise ValidationFailed(errors=errors)
    return SignUp(clean_name, clean_mobile, clean_id, clean_skills, hours, villages)


def _already() -> Conflict:
    return Conflict(
        _("A volunteer with this ID number has already signed up."), code="volunteer_exists"
    )


def volunteer_sign_up(*, data: SignUp) -> Volunteer:
    """A volunteer signs up on the public page (no account); the villages review it."""
    digest = lookup_digest(data.id_number)
    with transaction.atomic():
        if Volunteer.objects.filter(id_number_digest=digest).exists():
            raise _already()
        try:
            with transaction.atomic():
                volunteer = Volunteer.objects.create(
                    name=data.name,
                    mobile=data.mobile,
                    mobile_digest=lookup_digest(data.mobile),
                    id_number=data.id_number,
                    id_number_digest=digest,
                    birth_year=int(data.id_number[6:10]),
                    skills=data.skills,
                    hours_per_week=data.hours_per_week,
                )
        except IntegrityError as exc:  # the same person at the same moment
            raise _already() from exc
        volunteer.villages.set(data.villages)
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            instance=volunteer,
            area_code=data.villages[0].code,
            after={**snapshot(volunteer, AUDITED), "villages": [v.pk for v in data.villages]},
            note="public sign-up",
        )
    return volunteer


@dataclass(frozen=True)
class Approval:
    volunteer: Volunteer
    username: str
    password: str  # shown once to the reviewer, who passes it on


def _require_pending(volunteer: Volunteer) -> None:
    if volunteer.status != VolunteerStatus.PENDING:
        raise Conflict(_("This sign-up has already been reviewed."), code="already_reviewed")


def _area_code(volunteer: Volunteer) -> str:
    first = volunteer.villages.order_by("code").first()
    return first.code if first else ""


def volunteer_approve(*, actor: User, volunteer: Volunteer) -> Approval:
    """Approve a sign-up: the volunteer gets a login with the volunteer role on each village
    they signed up for."""
    access.require_volunteer(actor, volunteer, review=True)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        _require_pending(volunteer)
        before = snapshot(volunteer, AUDITED)
        user, password = volunteer_login_create(
            actor=actor,
            username=f"v{volunteer.mobile}",
            display_name=volunteer.name,
            villages=list(volunteer.villages.order_by("code")),
        )
        volunteer.status = VolunteerStatus.APPROVED
        volunteer.reviewed_by = actor
        volunteer.reviewed_at = timezone.now()
        volunteer.user = user
        volunteer.save(update_fields=["status", "reviewed_by", "reviewed_at", "user"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=volunteer,
            area_code=_area_code(volunteer),
            before=before,
            after=snapshot(volunteer, AUDITED),
        )
    return Approval(volunteer, user.username, password)


def volunteer_decline(*, actor: User, volunteer: Volunteer, reason: object) -> Volunteer:
    """Decline a sign-up, with the reason the volunteer is told."""
    access.require_volunteer(actor, volunteer, review=True)
    text = require_text("reason", reason, max_length=200)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        _require_pending(volunteer)
        before = snapshot(volunteer, AUDITED)
        volunteer.status = VolunteerStatus.DECLINED
        volunteer.decline_reason = text
        volunteer.reviewed_by = actor
        volunteer.reviewed_at = timezone.now()
        volunteer.save(update_fields=["status", "decline_reason", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=volunteer,
            area_code=_area_code(volunteer),
            before=before,
            after=snapshot(volunteer, AUDITED),
        )
    return volunteer


def volunteer_reveal(*, actor: User, volunteer: Volunteer) -> dict[str, str]:
    """The volunteer's unmasked mobile and ID number, for a role that may see personal data in
    one of their villages; every reveal is audited."""
    access.require_volunteer(actor, volunteer)
    scope = scope_for(actor)
    if not any(scope.covers(v, Permission.VIEW_PERSONAL_DATA) for v in volunteer.villages.all()):
        raise PermissionDenied()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.VIEW_PERSONAL_DATA,
            instance=volunteer,
            area_code=_area_code(volunteer),
            note="revealed mobile and ID number",
        )
    return {"mobile": volunteer.mobile, "id_number": volunteer.id_number}
