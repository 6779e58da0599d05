"""Centralised quarantine sites: opening one, editing it (never below the people it holds),
and who is on its staff."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed, require_text
from dualtrack.core.models import AuditAction, User
from dualtrack.health.access.quarantine import (
    STAFF_PERMISSION,
    Ability,
    require_manage_quarantine,
    require_site,
)
from dualtrack.health.models import QuarantineSite, QuarantineSiteStaff

MAX_CAPACITY = 5000
# A duty phone: a mobile or a landline with its area code (0791-88888888).
PHONE = re.compile(r"\+?[0-9][0-9\- ]{4,19}")


def _clean(
    *, name: str, address: str, phone: str, rooms: int, capacity: int
) -> tuple[str, str, str]:
    name = require_text("name", name, max_length=100)
    address = require_text("address", address, max_length=200, required=False)
    phone = require_text("phone", phone, max_length=20, required=False)
    if phone and not PHONE.fullmatch(phone):
        raise ValidationFailed.for_field(
            "phone", _("Enter a telephone number: digits, with - between parts if needed.")
        )
    if not 1 <= rooms <= MAX_CAPACITY:
        raise ValidationFailed.for_field(
            "rooms", _("Between 1 and %(n)d rooms.") % {"n": MAX_CAPACITY}
        )
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationFailed.for_field(
            "capacity", _("Between 1 and %(n)d places.") % {"n": MAX_CAPACITY}
        )
    return name, address, phone


def _name_taken() -> ValidationFailed:
    return ValidationFailed.for_field(
        "name", _("This area has a site of that name already."), code="site_name_taken"
    )


def site_create(
    *,
    actor: User,
    area: Area,
    name: str,
    rooms: int,
    capacity: int,
    address: str = "",
    phone: str = "",
    staff: list[User] | None = None,
) -> QuarantineSite:
    """Open a centralised quarantine site in ``area`` (read through the actor's scope)."""
    require_manage_quarantine(actor, area)
    name, address, phone = _clean(
        name=name, address=address, phone=phone, rooms=rooms, capacity=capacity
    )
    with transaction.atomic():
        site = QuarantineSite(
            area=area, name=name, address=address, rooms=rooms, capacity=capacity, phone=phone
        )
        try:
            with transaction.atomic():
                site.save()
        except IntegrityError as exc:
            raise _name_taken() from exc
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=site,
            area_code=area.code,
            after=snapshot(site),
        )
        if staff:
            _staff_set(actor=actor, site=site, users=staff)
    return site


def site_update(
    *,
    actor: User,
    site: QuarantineSite,
    name: str,
    rooms: int,
    capacity: int,
    address: str = "",
    phone: str = "",
    is_open: bool = True,
) -> QuarantineSite:
    """Edit a site. Its capacity never goes below the people it holds now (the database's
    constraint holds it too, against a placement made meanwhile)."""
    require_site(actor, site, Ability.MANAGE)
    name, address, phone = _clean(
        name=name, address=address, phone=phone, rooms=rooms, capacity=capacity
    )
    with transaction.atomic():
        locked = QuarantineSite.objects.select_for_update().select_related("area").get(pk=site.pk)
        if capacity < locked.occupied:
            raise _below_occupancy(locked.occupied)
        before = snapshot(locked)
        locked.name, locked.address, locked.phone = name, address, phone
        locked.rooms, locked.capacity, locked.is_open = rooms, capacity, is_open
        try:
            with transaction.atomic():
                locked.save(
                    update_fields=["name", "address", "phone", "rooms", "capacity", "is_open"]
                )
        except IntegrityError as exc:
            locked.refresh_from_db(fields=["occupied"])
            if capacity < locked.occupied:
                raise _below_occupancy(locked.occupied) from exc
            raise _name_taken() from exc
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=locked.area.code,
            before=before,
            after=snapshot(locked),
        )
    return locked


def _below_occupancy(occupied: int) -> Conflict:
    return Conflict(
        _("%(n)d people are at the site now: the capacity cannot be lower.") % {"n": occupied},
        code="capacity_below_occupancy",
        errors=[
            {
                "field": "capacity",
                "message": _("At least %(n)d (the people at the site now).") % {"n": occupied},
            }
        ],
    )


def site_staff_set(*, actor: User, site: QuarantineSite, users: list[User]) -> None:
    """Put exactly ``users`` on the site's staff (each must be able to record checks there)."""
    require_site(actor, site, Ability.MANAGE)
    with transaction.atomic():
        _staff_set(actor=actor, site=site, users=users)


def _staff_set(*, actor: User, site: QuarantineSite, users: list[User]) -> None:
    from dualtrack.areas.scoping import scope_for

    for user in users:
        if not (user.is_active and scope_for(user).covers(site.area, STAFF_PERMISSION)):
            raise ValidationFailed.for_field(
                "staff",
                _("%(user)s cannot record checks at this site.") % {"user": user},
                code="not_staff_material",
            )
    wanted = {u.pk for u in users}
    current = set(QuarantineSiteStaff.objects.filter(site=site).values_list("user_id", flat=True))
    if wanted == current:
        return
    QuarantineSiteStaff.objects.filter(site=site).exclude(user_id__in=wanted).delete()
    QuarantineSiteStaff.objects.bulk_create(
        [QuarantineSiteStaff(site=site, user_id=pk) for pk in sorted(wanted - current)]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=site,
        area_code=site.area.code,
        before={"staff": sorted(current)},
        after={"staff": sorted(wanted)},
        note="staff",
    )
