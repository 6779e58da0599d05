"""Appointments (预约办): the department opens slots at its counters; an applicant books a place,
moves it to another slot or cancels it through the personal link the booking gave them.

A slot never holds more bookings than its capacity, also when two people book its last place at
once: a booking takes its place with one conditional UPDATE of the slot's counter (``booked =
booked + 1 WHERE booked < capacity``), which the database serialises on the row; a check
constraint holds the counter within the capacity whatever writes it."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, NotFound, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.services import fields
from dualtrack.services import access
from dualtrack.services.models import Booking, BookingStatus, Counter, Matter, Slot
from dualtrack.services.services.requests import link_digest

MAX_CAPACITY = 500


def slot_open(
    *, actor: User, counter: Counter, day: Any, starts_at: Any, ends_at: Any, capacity: Any
) -> Slot:
    """The counter's department opens a slot with a number of places."""
    access.require_keep_counter(actor, counter)
    errors: fields.Errors = []
    clean_day = fields.date(errors, "day", day, required=True)
    start = _time(errors, "starts_at", starts_at)
    end = _time(errors, "ends_at", ends_at)
    places = fields.count(errors, "capacity", capacity, maximum=MAX_CAPACITY)
    if not any(e["field"] == "capacity" for e in errors) and places < 1:
        errors.append({"field": "capacity", "message": _("A slot has one place or more.")})
    if start is not None and end is not None and end <= start:
        errors.append({"field": "ends_at", "message": _("A slot ends after it starts.")})
    if clean_day is not None and clean_day < timezone.localdate():
        errors.append({"field": "day", "message": _("Open slots from today on.")})
    fields.raise_if(errors)
    assert clean_day is not None and start is not None and end is not None
    with transaction.atomic():
        if Slot.objects.filter(counter=counter, day=clean_day, starts_at=start).exists():
            raise Conflict(_("The counter has a slot starting then already."), code="slot_exists")
        slot = Slot.objects.create(
            counter=counter, day=clean_day, starts_at=start, ends_at=end, capacity=places
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=slot,
            area_code=counter.department.area.code,
            after=snapshot(slot),
        )
    return slot


def _time(errors: fields.Errors, field: str, value: Any) -> datetime.time | None:
    if isinstance(value, datetime.time):
        return value
    try:
        return datetime.time.fromisoformat(str(value or "").strip())
    except ValueError:
        errors.append({"field": field, "message": _("Enter a time as HH:MM.")})
        return None


def _take_place(slot_id: int) -> None:
    """One place of the slot, or Conflict when it is full: the conditional UPDATE is the whole
    guard against two people taking the last place at once."""
    taken = Slot.objects.filter(pk=slot_id, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise Conflict(_("This slot is full: choose another time."), code="slot_full")


def _give_back(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _bookable(slot: Slot) -> None:
    starts = timezone.make_aware(datetime.datetime.combine(slot.day, slot.starts_at))
    if starts <= timezone.now():
        raise ValidationFailed.for_field(
            "slot", _("This slot has begun: choose a later one."), code="slot_past"
        )


def booking_make(
    *, slot: Slot, name: Any, mobile: Any, matter: Matter | None = None
) -> tuple[Booking, str]:
    """An applicant books a place in a slot; returns the booking and its personal link's
    token."""
    errors: fields.Errors = []
    clean_name = fields.text(errors, "name", name, 100, required=True)
    clean_mobile = fields.mobile(errors, "mobile", mobile, required=True)
    fields.raise_if(errors)
    _bookable(slot)
    if matter is not None and matter.department_id != slot.counter.department_id:
        raise ValidationFailed.for_field(
            "matter", _("This counter does not answer that matter."), code="wrong_counter"
        )
    token = secrets.token_urlsafe(24)
    digest = lookup_digest(clean_mobile)
    try:
        with transaction.atomic():
            if Booking.objects.filter(
                slot_id=slot.pk, mobile_digest=digest, status=BookingStatus.BOOKED
            ).exists():
                raise _booked_already()
            _take_place(slot.pk)
            booking = Booking.objects.create(
                slot=slot,
                matter=matter,
                name=clean_name,
                mobile=clean_mobile,
                mobile_digest=digest,
                link_token=token,
                link_digest=link_digest(token),
            )
            audit_record(
                actor=None,
                action=AuditAction.CREATE,
                instance=booking,
                area_code=slot.counter.department.area.code,
                after=snapshot(booking),
            )
    except IntegrityError as exc:  # the same mobile in the same slot, at the same moment
        raise _booked_already() from exc
    return booking, token


def _booked_already() -> Conflict:
    return Conflict(_("This mobile has a place in this slot already."), code="booked_already")


def booking_for_link(token: str) -> Booking:
    """The booking a personal link belongs to; an unknown token is not found."""
    booking = (
        Booking.objects.select_related("slot__counter__department__area", "matter")
        .filter(link_digest=link_digest(token or ""))
        .first()
    )
    if booking is None:
        raise NotFound()
    return booking


def _require_booked(booking: Booking) -> None:
    if booking.status != BookingStatus.BOOKED:
        raise Conflict(_("This appointment was cancelled."), code="cancelled")


def booking_reschedule(*, booking: Booking, slot: Slot) -> Booking:
    """The applicant moves their place to another slot of the same counter; the old place is
    given back only once the new one is taken."""
    _require_booked(booking)
    if slot.counter_id != booking.slot.counter_id:
        raise NotFound()
    if slot.pk == booking.slot_id:
        raise ValidationFailed.for_field("slot", _("Choose another slot."), code="same_slot")
    _bookable(slot)
    old = booking.slot
    try:
        with transaction.atomic():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            _require_booked(locked)
            before = snapshot(locked)
            _take_place(slot.pk)
            _give_back(old.pk)
            locked.slot = slot
            locked.save(update_fields=["slot"])
            audit_record(
                actor=None,
                action=AuditAction.UPDATE,
                instance=locked,
                area_code=old.counter.department.area.code,
                before=before,
                after=snapshot(locked),
            )
    except IntegrityError as exc:
        raise _booked_already() from exc
    return locked


def booking_cancel(*, booking: Booking) -> Booking:
    """The applicant cancels; the place is free again."""
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        _require_booked(locked)
        before = snapshot(locked)
        locked.status = BookingStatus.CANCELLED
        locked.save(update_fields=["status"])
        _give_back(locked.slot_id)
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=booking.slot.counter.department.area.code,
            before=before,
            after=snapshot(locked),
        )
    return locked
