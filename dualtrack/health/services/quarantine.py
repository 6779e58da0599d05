"""Quarantine orders: placing a person under quarantine, and every change after it — moving
between home and a site, extending, ending early, transferring to hospital, releasing, and the
personal check-in link. Each change needs a reason and writes an ``OrderChange`` and an audit
entry; a site's places are taken and freed in the same transaction."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, Resident
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, ValidationFailed, require_text
from dualtrack.core.models import AuditAction, User
from dualtrack.core.validators import normalize_id_number, normalize_mobile
from dualtrack.enterprises.models import Employee
from dualtrack.health.access.quarantine import require_manage_quarantine
from dualtrack.health.models import (
    AlertOutcome,
    HealthAlert,
    OrderSource,
    PersonKind,
    QuarantineKind,
    QuarantineOrder,
    QuarantineSite,
)


def quarantine_end(last_exposure: datetime.date) -> datetime.date:
    """The last day of quarantine: ``QUARANTINE_DAYS`` after the last exposure."""
    return last_exposure + datetime.timedelta(days=settings.QUARANTINE_DAYS)


def site_take_place(site: QuarantineSite) -> None:
    """Take one place at ``site`` inside the caller's transaction; a full or closed site is
    refused. The database's constraint (occupied ≤ capacity) holds under concurrent placements:
    the row's update waits for another's, then fails it."""
    if not site.is_open:
        raise ValidationFailed.for_field("site", _("This quarantine site is closed."))
    try:
        with transaction.atomic():
            updated = QuarantineSite.objects.filter(pk=site.pk).update(occupied=F("occupied") + 1)
    except IntegrityError:
        updated = 0
    if not updated:
        raise Conflict(
            _("%(site)s is full: all %(capacity)d places are taken.")
            % {"site": site.name, "capacity": site.capacity},
            code="site_full",
        )


def site_free_place(site: QuarantineSite) -> None:
    """Give back one place at ``site`` (an order leaving it), inside the caller's transaction."""
    QuarantineSite.objects.filter(pk=site.pk, occupied__gt=0).update(occupied=F("occupied") - 1)


def order_place(
    *,
    actor: User,
    kind: str,
    person_kind: str,
    area: Area,
    name: str,
    id_number: str,
    reason: str,
    source: str,
    last_exposure: datetime.date,
    phone: str = "",
    address: str = "",
    resident: Resident | None = None,
    employee: Employee | None = None,
    site: QuarantineSite | None = None,
    room: str = "",
    alert: HealthAlert | None = None,
) -> QuarantineOrder:
    """Place one person under quarantine until ``QUARANTINE_DAYS`` after the last exposure.

    The caller has read ``area``, ``resident``, ``employee``, ``site`` and ``alert`` through the
    acting user's scope. A person with an active order already, a site that is full, a last
    exposure in the future are refused, and nothing is written. ``alert``, the health alert the
    order answers, is marked handled (outcome: quarantined) in the same transaction."""
    require_manage_quarantine(actor, area)
    _require_choice("kind", kind, QuarantineKind.values)
    _require_choice("person_kind", person_kind, PersonKind.values)
    _require_choice("source", source, OrderSource.values)
    name = require_text("name", name, max_length=50)
    reason = require_text("reason", reason, max_length=300)
    address = require_text("address", address, max_length=200, required=False)
    room = require_text("room", room, max_length=20, required=False)
    try:
        id_number = normalize_id_number(id_number)
    except ValidationError as exc:
        raise ValidationFailed.for_field("id_number", exc.messages[0]) from exc
    if phone:
        try:
            phone = normalize_mobile(phone)
        except ValidationError as exc:
            raise ValidationFailed.for_field("phone", exc.messages[0]) from exc
    today = timezone.localdate()
    if last_exposure > today:
        raise ValidationFailed.for_field(
            "last_exposure", _("The last exposure cannot be in the future.")
        )
    if (kind == QuarantineKind.SITE) != (site is not None):
        raise ValidationFailed.for_field(
            "site", _("Centralised quarantine needs a site; home quarantine has none.")
        )
    digest = lookup_digest(id_number)
    starts_on = today
    ends_on = max(quarantine_end(last_exposure), starts_on)
    with transaction.atomic():
        if QuarantineOrder.objects.filter(id_digest=digest, status="active").exists():
            raise _already_quarantined()
        if site is not None:
            site_take_place(site)
        order = QuarantineOrder(
            kind=kind,
            site=site,
            room=room,
            area=area,
            person_kind=person_kind,
            resident=resident,
            employee=employee,
            name=name,
            id_number=id_number,
            id_digest=digest,
            phone=phone,
            phone_digest=lookup_digest(phone) if phone else "",
            address=address,
            reason=reason,
            source=source,
            last_exposure=last_exposure,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        try:
            with transaction.atomic():
                order.save()
        except IntegrityError as exc:  # a concurrent order for the same person
            raise _already_quarantined() from exc
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=order,
            area_code=area.code,
            after=snapshot(order),
        )
        if alert is not None:
            _alert_handled(actor=actor, alert=alert, order=order)
    return order


def _require_choice(field: str, value: str, choices: list[str]) -> None:
    if value not in choices:
        raise ValidationFailed.for_field(
            field, _("Choose one of the options."), code="invalid_choice"
        )


def _alert_handled(*, actor: User, alert: HealthAlert, order: QuarantineOrder) -> None:
    """Mark the alert the order answers as handled: the person was placed under quarantine."""
    locked = HealthAlert.objects.select_for_update().get(pk=alert.pk)
    if locked.handled_at is not None:
        raise Conflict(_("This alert was already handled."), code="alert_handled")
    before = snapshot(locked)
    locked.handled_at = timezone.now()
    locked.handled_by = actor
    locked.outcome = AlertOutcome.QUARANTINED
    locked.order = order
    locked.save(update_fields=["handled_at", "handled_by", "outcome", "order"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=locked,
        area_code=locked.area.code,
        before=before,
        after=snapshot(locked),
        note="quarantined",
    )


def _already_quarantined() -> Conflict:
    return Conflict(
        _("This person is already under an active quarantine order."), code="order_active"
    )
