"""What a registration carries and how it is checked: the input, the temperature, the
moment, the ID number, the proof that links a known person, fevers and risk-area arrivals.
No writes: the registration, the self-registration and the offline sync all check through it."""

from __future__ import annotations

import contextlib
import datetime
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

from dualtrack.areas.models import Resident
from dualtrack.areas.regions import region_name
from dualtrack.areas.selectors import risk_prefixes_current
from dualtrack.checkpoints.models import (
    Direction,
)
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import (
    ValidationFailed,
)
from dualtrack.core.validators import checked_text, normalize_id_number, normalize_mobile

MIN_TEMPERATURE = Decimal("34.0")
MAX_TEMPERATURE = Decimal("43.0")
# Devices' clocks drift; a registration a few minutes "in the future" is still today's.
CLOCK_SKEW = datetime.timedelta(minutes=5)


@dataclass
class PassageInput:
    """One registration as a person, a device or a script enters it."""

    client_id: uuid.UUID | str | None = None
    occurred_at: datetime.datetime | str | None = None
    direction: str = ""
    temperature: Decimal | str | float | None = None
    name: str = ""
    id_number: str = ""
    phone: str = ""
    origin_code: str = ""
    purpose: str = ""
    notice_given: bool = False
    resident_id: int | None = None
    # Register a returning visitor again from their last passage (person_lookup's passage_id).
    previous_passage_id: int | None = None


@dataclass
class CleanPassage:
    client_id: uuid.UUID
    occurred_at: datetime.datetime
    direction: str
    temperature: Decimal | None
    name: str
    id_number: str
    phone: str
    origin_code: str
    origin_name: str
    purpose: str
    notice_given: bool
    resident_id: int | None


Errors = dict[str, list[str]]
_DIRECTIONS = frozenset(Direction.values)


def _add(errors: Errors, field_name: str, message: str) -> None:
    errors.setdefault(field_name, []).append(str(message))


def parse_temperature(value: Any, errors: Errors, *, required: bool) -> Decimal | None:
    if value is None or value == "":
        if required:
            _add(errors, "temperature", _("Enter the temperature."))
        return None
    if isinstance(value, bool):
        _add(errors, "temperature", _("Enter the temperature in °C, such as 36.5."))
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        _add(errors, "temperature", _("Enter the temperature in °C, such as 36.5."))
        return None
    if not number.is_finite() or not MIN_TEMPERATURE <= number <= MAX_TEMPERATURE:
        _add(
            errors,
            "temperature",
            _("A body temperature lies between 34 and 43 °C; measure again."),
        )
        return None
    return number.quantize(Decimal("0.1"))


def _parse_moment(value: Any, errors: Errors, now: datetime.datetime) -> datetime.datetime:
    if value is None or value == "":
        return now
    moment = value
    if isinstance(value, str):
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            moment = None
    if not isinstance(moment, datetime.datetime):
        _add(errors, "occurred_at", _("Enter a date and time in ISO 8601."))
        return now
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now + CLOCK_SKEW:
        _add(errors, "occurred_at", _("The time lies in the future; check the device's clock."))
    elif moment < now - datetime.timedelta(days=settings.PASSAGE_RETENTION_DAYS):
        _add(
            errors,
            "occurred_at",
            _("Older than the register keeps passages (%(days)d days).")
            % {"days": settings.PASSAGE_RETENTION_DAYS},
        )
    return moment


def _parse_client_id(value: Any, errors: Errors, *, required: bool) -> uuid.UUID:
    if value is None or value == "":
        if required:
            _add(errors, "client_id", _("Every synced row needs its device-generated id."))
        return uuid.uuid4()
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        _add(errors, "client_id", _("The client id must be a UUID."))
        return uuid.uuid4()


@functools.lru_cache(maxsize=8192)
def _born_there(region: str, year: int) -> bool:
    """Whether a GB/T 2260 region was in force in a birth year (stdnum's lookup is slow)."""
    try:
        ric.get_birth_place(f"{region}{year:04d}01010000")
    except (stdnum_exceptions.ValidationError, KeyError):
        return False
    return True


def valid_id_number(value: str, *, today: datetime.date | None = None) -> str:
    """core.validators.normalize_id_number, with a fast path for well-formed numbers.

    The same checks as ``stdnum.cn.ric.validate`` (length, digits, check character, birth date,
    birth place in force in the birth year), but the birth place is looked up once per region
    and year; anything the fast path does not accept goes through the core validator, which
    gives the message. ``today``: the local day, for a caller checking many numbers at once (the
    current time zone is looked up through a context variable, a third of the fast path).
    """
    number = value.upper()
    if len(number) == 18 and number[:17].isdigit() and number[17] in "0123456789X":
        try:
            birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            birth = None
        if (
            birth is not None
            and birth <= (today or timezone.localdate())
            and number[17] == ric.calc_check_digit(number)
            and _born_there(number[:6], birth.year)
        ):
            return number
    try:
        return normalize_id_number(value)
    except KeyError as exc:  # stdnum fails on a code it knows only as a province (420000)
        raise ValidationError(
            _("The ID number does not start with the code of a county or district."),
            code="id_number_region",
        ) from exc


def _text(value: Any, field_name: str, limit: int, errors: Errors) -> str:
    """Free text through core's one rule (``checked_text``), its problem kept by field."""
    text, problem = checked_text(value, max_length=limit, required=False)
    if problem is not None:
        _add(errors, field_name, problem)
    return text


def proof_needed() -> str:
    return _(
        "Find the person by their ID number or mobile number, and keep that number in the form."
    )


def found_by(id_number: str, phone: str, *known: str) -> bool:
    """Whether a registration carries the ID number or the mobile a known person (a resident,
    an earlier passage) is found by: one of the lookup digests ``known``."""
    given = {*lookup_digests(id_number or ""), *lookup_digests(phone or "")}
    return bool(given & (set(known) - {""}))


def lookup_digests(query: str) -> list[str]:
    query = (query or "").strip()
    digests = []
    with contextlib.suppress(ValidationError):
        digests.append(lookup_digest(normalize_id_number(query.upper())))
    with contextlib.suppress(ValidationError):
        digests.append(lookup_digest(normalize_mobile(query)))
    return digests


def clean_passage(
    data: PassageInput,
    *,
    now: datetime.datetime,
    temperature_required: bool = True,
    client_id_required: bool = False,
    residents: Callable[[int], Resident | None] | None = None,
    today: datetime.date | None = None,
) -> tuple[CleanPassage | None, Errors]:
    """Validate one registration; every problem is reported, field by field. ``today``: the local
    day of ``now``, for a caller validating a batch (see ``valid_id_number``)."""
    errors: Errors = {}
    client_id = _parse_client_id(data.client_id, errors, required=client_id_required)
    occurred_at = _parse_moment(data.occurred_at, errors, now)
    direction = data.direction
    if direction not in _DIRECTIONS:
        _add(errors, "direction", _("Choose in or out."))
    temperature = parse_temperature(data.temperature, errors, required=temperature_required)
    name = _text(data.name, "name", 50, errors)
    id_number = _text(data.id_number, "id_number", 32, errors)
    phone = _text(data.phone, "phone", 32, errors)
    purpose = _text(data.purpose, "purpose", 100, errors)
    origin_code = _text(data.origin_code, "origin_code", 6, errors)
    resident: Resident | None = None
    resident_id = data.resident_id
    if resident_id is not None:
        if not isinstance(resident_id, int) or isinstance(resident_id, bool):
            _add(errors, "resident_id", _("Enter a whole number."))
            resident_id = None
        else:
            lookup = residents or (lambda pk: Resident.objects.filter(pk=pk).first())
            resident = lookup(resident_id)
            if resident is None:
                # The same answer as a resident found without the number: an id alone must not
                # tell whether a resident exists.
                _add(errors, "resident_id", proof_needed())
                resident_id = None
    if id_number:
        try:
            id_number = valid_id_number(id_number, today=today)
        except ValidationError as exc:
            _add(errors, "id_number", exc.messages[0])
    if phone:
        try:
            phone = normalize_mobile(phone)
        except ValidationError as exc:
            _add(errors, "phone", exc.messages[0])
    if resident is not None and not errors.keys() & {"id_number", "phone"}:
        # The link copies the resident's numbers into the register: it takes the number the
        # staff found the person by, as person_lookup does, so that an id alone reveals nothing.
        if not found_by(id_number, phone, resident.id_number_digest, resident.phone_digest):
            _add(errors, "resident_id", proof_needed())
        else:
            name = name or resident.name
            id_number = id_number or resident.id_number
            phone = phone or resident.phone
    if not name and "name" not in errors:
        _add(errors, "name", _("Enter the person's name."))
    if not id_number and not phone and not errors.keys() & {"id_number", "phone"}:
        _add(errors, "id_number", _("Enter an ID number or a mobile number."))
    origin_name = ""
    if origin_code:
        origin_name = (region_name(origin_code) if origin_code.isdigit() else None) or ""
        if not origin_name:
            _add(errors, "origin_code", _("Enter a known six-digit GB/T 2260 region code."))
    notice_given = data.notice_given
    if not isinstance(notice_given, bool):
        _add(errors, "notice_given", _("Enter true or false."))
    if errors:
        return None, errors
    return (
        CleanPassage(
            client_id=client_id,
            occurred_at=occurred_at,
            direction=direction,
            temperature=temperature,
            name=name,
            id_number=id_number,
            phone=phone,
            origin_code=origin_code,
            origin_name=origin_name,
            purpose=purpose,
            notice_given=notice_given,
            resident_id=resident_id,
        ),
        {},
    )


def validation_failed(errors: Errors) -> ValidationFailed:
    return ValidationFailed(
        errors=[{"field": f, "message": m} for f, messages in errors.items() for m in messages]
    )


def fever_threshold() -> Decimal:
    return Decimal(str(settings.FEVER_THRESHOLD_CELSIUS))


def is_fever(temperature: Decimal | None) -> bool:
    return temperature is not None and temperature >= fever_threshold()


class RiskMatcher:
    """Answers "is this origin code in a current risk area on that day", one query per day."""

    def __init__(self) -> None:
        self._by_day: dict[datetime.date, tuple[str, ...]] = {}
        self._answers: dict[tuple[str, datetime.date], bool] = {}  # a batch repeats its origins

    def prefixes(self, day: datetime.date) -> tuple[str, ...]:
        if day not in self._by_day:
            self._by_day[day] = risk_prefixes_current(day)
        return self._by_day[day]

    def matches(self, origin_code: str, day: datetime.date) -> bool:
        key = (origin_code, day)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = bool(origin_code) and origin_code.startswith(
                self.prefixes(day)
            )
        return answer
