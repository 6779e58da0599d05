"""The twice-daily checks of a person under quarantine, recorded by a cadre or the site's staff
or by the person through their own link; and the audited view of an order's full numbers.

A check is refused for a closed order, for a day outside the order's period, for a slot whose
time has not come, and for a slot already checked. A fever (``FEVER_THRESHOLD_CELSIUS``) or a
symptom raises a health alert for the village's liaison cadre, in the same transaction.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, DomainError, ValidationFailed, require_text
from dualtrack.core.models import AuditAction, User
from dualtrack.health.access.quarantine import Ability, require_order
from dualtrack.health.models import (
    AlertKind,
    CheckPeriod,
    OrderStatus,
    QuarantineCheck,
    QuarantineOrder,
)
from dualtrack.health.selectors import quarantine_slots
from dualtrack.health.selectors.quarantine_slots import Slot, current_slot, slot_opens
from dualtrack.health.services.alerts import alert_raise

LOWEST, HIGHEST = Decimal("34.0"), Decimal("43.0")


class LinkNotLive(DomainError):
    """A personal check-in link that was revoked, renewed or never existed."""

    status = 410
    code = "link_not_live"
    default_message = gettext_lazy(
        "This check-in link is no longer valid. Ask your village cadre or the site's staff for "
        "the new one."
    )


def _temperature(value: object) -> Decimal:
    try:
        temperature = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed.for_field(
            "temperature", _("Enter the temperature in °C, such as 36.5.")
        ) from exc
    if not LOWEST <= temperature <= HIGHEST:
        raise ValidationFailed.for_field(
            "temperature",
            _("A body temperature lies between %(low)s and %(high)s °C.")
            % {"low": LOWEST, "high": HIGHEST},
            code="temperature_out_of_range",
        )
    return temperature


def _refuse_slot(order: QuarantineOrder, slot: Slot, now: datetime.datetime) -> None:
    if order.status != OrderStatus.ACTIVE:
        raise Conflict(
            _("This order is closed (%(status)s): no more checks are recorded.")
            % {"status": order.get_status_display()},
            code="order_closed",
        )
    if not order.starts_on <= slot.day <= order.ends_on:
        raise ValidationFailed.for_field(
            "day",
            _("The quarantine runs from %(first)s to %(last)s: %(day)s is outside it.")
            % {
                "first": order.starts_on.isoformat(),
                "last": order.ends_on.isoformat(),
                "day": slot.day.isoformat(),
            },
            code="outside_period",
        )
    if slot_opens(slot.day, slot.period) > now:
        raise ValidationFailed.for_field(
            "period",
            _("The %(slot)s check cannot be recorded before its time.") % {"slot": slot.label},
            code="slot_not_open",
        )
    if QuarantineCheck.objects.filter(order=order, day=slot.day, period=slot.period).exists():
        raise _already_checked(slot)


def _already_checked(slot: Slot) -> Conflict:
    return Conflict(
        _("The %(slot)s check is recorded already.") % {"slot": slot.label},
        code="slot_checked",
        errors=[{"field": "period", "message": _("Recorded already.")}],
    )


def _save(
    *,
    actor: User | None,
    order: QuarantineOrder,
    slot: Slot,
    temperature: object,
    symptoms: str,
    now: datetime.datetime,
) -> QuarantineCheck:
    value = _temperature(temperature)
    symptoms = require_text("symptoms", symptoms, max_length=200, required=False)
    with transaction.atomic():
        order = (
            QuarantineOrder.objects.select_for_update(of=("self",))
            .select_related("area", "site")
            .get(pk=order.pk)
        )
        _refuse_slot(order, slot, now)
        check = QuarantineCheck(
            order=order,
            day=slot.day,
            period=slot.period,
            temperature=value,
            symptoms=symptoms,
            is_fever=value >= Decimal(str(settings.FEVER_THRESHOLD_CELSIUS)),
            checked_at=now,
            recorded_by=actor,
            self_reported=actor is None,
        )
        try:
            with transaction.atomic():
                check.save()
        except IntegrityError as exc:  # the same slot, recorded meanwhile
            raise _already_checked(slot) from exc
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=check,
            area_code=order.area.code,
            after=snapshot(check),
            note="self-reported" if actor is None else "",
        )
        if check.is_fever or symptoms:
            kind = AlertKind.CHECK_FEVER if check.is_fever else AlertKind.CHECK_SYMPTOMS
            detail = f"{slot.label} · {value} °C" + (f" · {symptoms}" if symptoms else "")
            alert_raise(
                actor=actor,
                kind=kind,
                area=order.area,
                name=order.name,
                detail=detail,
                resident=order.resident,
                order=order,
            )
    return check


def check_record(
    *,
    actor: User,
    order: QuarantineOrder,
    day: datetime.date,
    period: str,
    temperature: object,
    symptoms: str = "",
    now: datetime.datetime | None = None,
) -> QuarantineCheck:
    """Record one check of ``order`` for the slot (``day``, ``period``), as a cadre or a member
    of the site's staff."""
    require_order(actor, order, Ability.RECORD_CHECKS)
    if period not in CheckPeriod.values:
        raise ValidationFailed.for_field("period", _("Choose the morning or the afternoon."))
    return _save(
        actor=actor,
        order=order,
        slot=Slot(day, period),
        temperature=temperature,
        symptoms=symptoms,
        now=now or timezone.now(),
    )


def check_self_report(
    *,
    token: str,
    temperature: object,
    symptoms: str = "",
    now: datetime.datetime | None = None,
) -> QuarantineCheck:
    """The person's own check through their link, for the slot of the moment; a revoked link
    is ``LinkNotLive``."""
    order = (
        QuarantineOrder.objects.filter(check_token=token, check_token_revoked=False)
        .select_related("area", "site")
        .first()
        if token and len(token) <= 64
        else None
    )
    if order is None:
        raise LinkNotLive()
    now = now or quarantine_slots.clock()
    return _save(
        actor=None,
        order=order,
        slot=current_slot(now),
        temperature=temperature,
        symptoms=symptoms,
        now=now,
    )


def order_unmasked_view(*, actor: User, order: QuarantineOrder, note: str) -> None:
    """Before showing an order's full ID number and mobile: refuse a role that may not see
    them, and record in the audit trail that this one did."""
    require_order(actor, order, Ability.VIEW_PERSONAL_DATA)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.VIEW_PERSONAL_DATA,
            instance=order,
            area_code=order.area.code,
            note=note,
        )
