"""Point-to-point transport (点对点接送): the group plans a trip; each enterprise puts its own
returning workers on it with their health declarations; boarding and arrival are checked off.

A trip never takes more riders than its capacity (the locked trip's counter, held by a check
constraint) and a person rides one trip a day (held by a unique constraint on the ID number's
digest and the trip's date). An arrival registers each rider's passage at the receiving
checkpoint through the checkpoints' registration service, and adds the rider to (or updates
them on) the enterprise's roster through the enterprises' roster service, whose rule gives a
rider from a risk area their quarantine."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.regions import region_name
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.checkpoints.services.passage_input import parse_temperature
from dualtrack.checkpoints.services.sync import passages_sync
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, NotFound, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.core.validators import normalize_id_number
from dualtrack.enterprises.access import RosterReturnRight
from dualtrack.enterprises.models import Employee, Enterprise
from dualtrack.enterprises.services import fields
from dualtrack.enterprises.services.roster import clean_employee, employee_returned
from dualtrack.jobs import transport_access as access
from dualtrack.jobs.models import Rider, Trip, TripMode, TripStatus

MAX_CAPACITY = 2000


def money(errors: fields.Errors, field: str, value: Any, *, maximum: Decimal) -> Decimal:
    """An amount in yuan, not negative, at most two decimals."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if (
        not amount.is_finite()
        or amount < 0
        or amount > maximum
        or amount != amount.quantize(Decimal("0.01"))
    ):
        errors.append(
            {"field": field, "message": _("Enter an amount in yuan, with at most two decimals.")}
        )
        return Decimal(0)
    return amount.quantize(Decimal("0.01"))


def _origin_code(errors: fields.Errors, field: str, value: Any, *, required: bool) -> str:
    code = ("" if value is None else str(value)).strip()
    if not code:
        if required:
            errors.append({"field": field, "message": _("This field is required.")})
        return ""
    if len(code) != 6 or not code.isdigit() or not region_name(code):
        errors.append({"field": field, "message": _("Enter a known six-digit GB/T 2260 code.")})
    return code


def trip_plan(
    *,
    actor: User,
    mode: Any,
    origin: Any,
    origin_code: Any,
    date: Any,
    capacity: Any,
    cost: Any,
    checkpoint: Checkpoint,
    enterprises: list[Enterprise],
) -> Trip:
    """The group plans a trip to the district's receiving checkpoint."""
    access.require_plan_trips(actor)
    errors: fields.Errors = []
    if mode not in TripMode.values:
        errors.append(
            {"field": "mode", "message": _("Choose a bus, a train carriage or a flight.")}
        )
    place = fields.text(errors, "origin", origin, 100, required=True)
    code = _origin_code(errors, "origin_code", origin_code, required=True)
    day = fields.date(errors, "date", date, required=True)
    seats = fields.count(errors, "capacity", capacity, maximum=MAX_CAPACITY)
    if not any(e["field"] == "capacity" for e in errors) and seats < 1:
        errors.append({"field": "capacity", "message": _("A trip takes one rider or more.")})
    amount = money(errors, "cost", cost, maximum=Decimal("10000000"))
    if not enterprises:
        errors.append(
            {"field": "enterprises", "message": _("Choose the enterprises whose workers ride.")}
        )
    fields.raise_if(errors)
    assert day is not None
    with transaction.atomic():
        trip = Trip.objects.create(
            mode=mode,
            origin=place,
            origin_code=code,
            date=day,
            capacity=seats,
            cost=amount,
            checkpoint=checkpoint,
            created_by=actor,
        )
        trip.enterprises.set(enterprises)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=trip,
            area_code=checkpoint.area.code,
            after=snapshot(trip),
        )
    return trip


def rider_add(
    *,
    actor: User,
    trip: Trip,
    enterprise: Enterprise,
    name: Any,
    id_number: Any,
    mobile: Any,
    temperature: Any,
    symptoms: Any = "",
    risk_stay_code: Any = "",
    risk_stay_on: Any = None,
) -> Rider:
    """The enterprise puts one of its returning workers on a trip, with the declaration."""
    access.require_add_rider(actor, trip, enterprise)
    if not trip.enterprises.filter(pk=enterprise.pk).exists():
        raise NotFound()
    errors: fields.Errors = []
    clean_name = fields.text(errors, "name", name, 50, required=True)
    clean_id = ""
    try:
        clean_id = normalize_id_number(("" if id_number is None else str(id_number)).strip())
    except DjangoValidationError as exc:
        errors.append({"field": "id_number", "message": exc.messages[0]})
    clean_mobile = fields.mobile(errors, "mobile", mobile, required=True)
    temp_errors: dict[str, list[str]] = {}
    temp = parse_temperature(temperature, temp_errors, required=True)
    for message in temp_errors.get("temperature", []):
        errors.append({"field": "temperature", "message": message})
    clean_symptoms = fields.text(errors, "symptoms", symptoms, 200, required=False)
    stay_code = _origin_code(errors, "risk_stay_code", risk_stay_code, required=False)
    stay_on = fields.date(errors, "risk_stay_on", risk_stay_on, required=bool(stay_code))
    if stay_on is not None and not stay_code:
        errors.append({"field": "risk_stay_code", "message": _("Enter where the stay was.")})
    if stay_on is not None and (
        stay_on > trip.date
        or stay_on < trip.date - datetime.timedelta(days=settings.QUARANTINE_DAYS)
    ):
        errors.append(
            {
                "field": "risk_stay_on",
                "message": _("Declare stays within %(days)d days before the trip.")
                % {"days": settings.QUARANTINE_DAYS},
            }
        )
    fields.raise_if(errors)
    assert temp is not None
    digest = lookup_digest(clean_id)
    with transaction.atomic():
        locked = Trip.objects.select_for_update().get(pk=trip.pk)
        if locked.status != TripStatus.PLANNED:
            raise Conflict(_("This trip has left: no more riders."), code="trip_left")
        if locked.riders_count >= locked.capacity:
            raise Conflict(
                _("This trip is full (%(capacity)d seats).") % {"capacity": locked.capacity},
                code="trip_full",
            )
        if Rider.objects.filter(id_number_digest=digest, travel_date=locked.date).exists():
            raise _two_trips()
        try:
            with transaction.atomic():
                rider = Rider.objects.create(
                    trip=locked,
                    enterprise=enterprise,
                    travel_date=locked.date,
                    name=clean_name,
                    id_number=clean_id,
                    id_number_digest=digest,
                    mobile=clean_mobile,
                    temperature=temp,
                    symptoms=clean_symptoms,
                    risk_stay_code=stay_code,
                    risk_stay_on=stay_on,
                )
        except IntegrityError as exc:
            raise _two_trips() from exc
        locked.riders_count += 1
        locked.save(update_fields=["riders_count"])
        trip.riders_count = locked.riders_count
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=rider,
            area_code=enterprise.area.code,
            after=snapshot(rider),
        )
    return rider


def _two_trips() -> ValidationFailed:
    return ValidationFailed.for_field(
        "id_number",
        _("This person already rides a trip that day: one trip a day."),
        code="one_trip_a_day",
    )


def _moment(at: datetime.datetime | None, field: str) -> datetime.datetime:
    """When a step happened: now, or earlier when it is recorded after the fact (the trip's
    own day, as the demo district records its past trips); never in the future."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at) or at > now:
        raise ValidationFailed.for_field(field, _("The time lies in the future."), code="future")
    return at


def rider_board(*, actor: User, rider: Rider, at: datetime.datetime | None = None) -> Rider:
    """Check a rider off as boarded (the trip is then boarding), now or at ``at``."""
    access.require_manage_trip(actor, rider.trip)
    moment = _moment(at, "boarded_at")
    with transaction.atomic():
        trip = Trip.objects.select_for_update().get(pk=rider.trip_id)
        if trip.status == TripStatus.ARRIVED:
            raise Conflict(_("This trip has arrived."), code="trip_arrived")
        current = Rider.objects.select_for_update().get(pk=rider.pk)
        if current.boarded_at is None:
            current.boarded_at = moment
            current.save(update_fields=["boarded_at"])
            if trip.status == TripStatus.PLANNED:
                trip.status = TripStatus.BOARDING
                trip.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=current,
                area_code=trip.checkpoint.area.code,
                after={"boarded_at": current.boarded_at.isoformat()},
            )
    return current


def trip_arrive(*, actor: User, trip: Trip, at: datetime.datetime | None = None) -> Trip:
    """The trip arrives at the receiving checkpoint, now or at ``at`` (not before a rider
    boarded): every boarded rider's passage is registered there at that time (the checkpoints'
    registration service) and the rider is put on their enterprise's roster (the enterprises'
    roster service, with the right the arrival gives the checkpoint's staff); all or
    nothing."""
    right = access.roster_return_right(actor, trip)
    now = _moment(at, "arrived_at")
    with transaction.atomic():
        locked = Trip.objects.select_for_update().select_related("checkpoint").get(pk=trip.pk)
        if locked.status != TripStatus.BOARDING:
            raise Conflict(
                _("Only a boarding trip arrives: check its riders off as boarded first."),
                code="trip_not_boarding",
            )
        riders = list(
            Rider.objects.select_for_update()
            .filter(trip=locked, boarded_at__isnull=False)
            .select_related("enterprise__area")
        )
        if any(r.boarded_at is not None and r.boarded_at > now for r in riders):
            raise ValidationFailed.for_field(
                "arrived_at", _("A trip arrives after its riders boarded."), code="before_boarding"
            )
        rows = [_passage_row(locked, rider, now) for rider in riders]
        report = passages_sync(actor=actor, rows=rows)
        if report.rejected:
            messages = [m for r in report.rejected for ms in r["errors"].values() for m in ms]
            raise ValidationFailed.for_field("trip", "；".join(dict.fromkeys(messages)))
        day = timezone.localdate(now)
        for rider in riders:
            rider.arrived_at = now
            rider.employee = _on_roster(actor, rider, day, right)
            rider.save(update_fields=["arrived_at", "employee"])
        locked.status, locked.arrived_at = TripStatus.ARRIVED, now
        locked.save(update_fields=["status", "arrived_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=locked.checkpoint.area.code,
            after={"status": locked.status, "riders": len(riders)},
        )
    trip.status, trip.arrived_at = locked.status, locked.arrived_at
    return locked


def _passage_row(trip: Trip, rider: Rider, now: datetime.datetime) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"dualtrack:rider:{rider.pk}")),
        "checkpoint_id": trip.checkpoint_id,
        "occurred_at": now.isoformat(),
        "direction": "in",
        "temperature": str(rider.temperature),
        "name": rider.name,
        "id_number": rider.id_number,
        "phone": rider.mobile,
        "origin_code": rider.risk_stay_code or trip.origin_code,
        "purpose": _("Returning to work (chartered trip)"),
    }


def _on_roster(actor: User, rider: Rider, day: datetime.date, right: RosterReturnRight) -> Employee:
    """Add the rider to the enterprise's roster, or record their return on it; the roster's
    rule gives a rider from a risk area their quarantine."""
    home = rider.id_number[:6]
    data = clean_employee(
        name=rider.name,
        id_number=rider.id_number,
        phone=rider.mobile,
        home_region=home if region_name(home) else "",
        returned_from=rider.risk_stay_code or rider.trip.origin_code,
        returned_on=day,
    )
    return employee_returned(actor=actor, enterprise=rider.enterprise, data=data, right=right)
