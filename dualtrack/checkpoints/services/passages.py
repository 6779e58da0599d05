"""The passage register: staff registration, QR self-registration, temperature confirmation,
finding a known person, and handling the alerts that passages raise."""

from __future__ import annotations

import contextlib
import datetime
import functools
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

from dualtrack.areas.models import Resident, RiskArea
from dualtrack.areas.regions import region_name
from dualtrack.areas.selectors import risk_prefixes_current
from dualtrack.checkpoints.access import Ability, checkpoints_q, require_checkpoint
from dualtrack.checkpoints.models import (
    Alert,
    AlertOutcome,
    Checkpoint,
    CheckpointStatus,
    Direction,
    Passage,
    PassageSource,
)
from dualtrack.checkpoints.selectors.checkpoints import current_shift_id
from dualtrack.checkpoints.selectors.register import local_day
from dualtrack.checkpoints.services.rollups import bump
from dualtrack.core import sql
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import (
    Conflict,
    DomainError,
    ValidationFailed,
)
from dualtrack.core.masking import mask_id_number, mask_phone
from dualtrack.core.models import AuditAction, User
from dualtrack.core.validators import normalize_id_number, normalize_mobile

MIN_TEMPERATURE = Decimal("34.0")
MAX_TEMPERATURE = Decimal("43.0")
# Devices' clocks drift; a registration a few minutes "in the future" is still today's.
CLOCK_SKEW = datetime.timedelta(minutes=5)


class StaleToken(DomainError):
    """The QR code's link was rotated, or never existed."""

    status = 410
    code = "stale_token"
    default_message = gettext_lazy(
        "This QR code is no longer valid. Scan the current poster at the checkpoint, "
        "or register with the staff."
    )


class CheckpointClosed(Conflict):
    code = "checkpoint_not_open"
    default_message = gettext_lazy("This checkpoint is not open: nothing can be registered here.")


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


def valid_id_number(value: str) -> str:
    """core.validators.normalize_id_number, with a fast path for well-formed numbers.

    The same checks as ``stdnum.cn.ric.validate`` (length, digits, check character, birth date,
    birth place in force in the birth year), but the birth place is looked up once per region
    and year; anything the fast path does not accept goes through the core validator, which
    gives the message.
    """
    number = value.upper()
    if len(number) == 18 and number[:17].isdigit() and number[17] in "0123456789X":
        try:
            birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            birth = None
        if (
            birth is not None
            and birth <= datetime.date.today()
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
    if value is None:
        return ""
    if not isinstance(value, str):
        _add(errors, field_name, _("Enter text."))
        return ""
    value = value.strip()
    if len(value) > limit:
        _add(errors, field_name, _("At most %(n)d characters.") % {"n": limit})
    return value


def _proof_needed() -> str:
    return _(
        "Find the person by their ID number or mobile number, and keep that number in the form."
    )


def _found_by(id_number: str, phone: str, *known: str) -> bool:
    """Whether a registration carries the ID number or the mobile a known person (a resident,
    an earlier passage) is found by: one of the lookup digests ``known``."""
    given = {*_digests(id_number or ""), *_digests(phone or "")}
    return bool(given & (set(known) - {""}))


def clean_passage(
    data: PassageInput,
    *,
    now: datetime.datetime,
    temperature_required: bool = True,
    client_id_required: bool = False,
    residents: Callable[[int], Resident | None] | None = None,
) -> tuple[CleanPassage | None, Errors]:
    """Validate one registration; every problem is reported, field by field."""
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
                _add(errors, "resident_id", _proof_needed())
                resident_id = None
    if id_number:
        try:
            id_number = valid_id_number(id_number)
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
        if not _found_by(id_number, phone, resident.id_number_digest, resident.phone_digest):
            _add(errors, "resident_id", _proof_needed())
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

    def prefixes(self, day: datetime.date) -> tuple[str, ...]:
        if day not in self._by_day:
            self._by_day[day] = risk_prefixes_current(day)
        return self._by_day[day]

    def matches(self, origin_code: str, day: datetime.date) -> bool:
        return bool(origin_code) and any(origin_code.startswith(p) for p in self.prefixes(day))


def risk_area_matches(origin_code: str, risk_areas: list[RiskArea]) -> bool:
    return bool(origin_code) and any(origin_code.startswith(r.prefix) for r in risk_areas)


def build_passage(
    clean: CleanPassage,
    *,
    checkpoint_id: int,
    shift_id: int | None,
    source: str,
    recorded_by: User | None,
    from_risk_area: bool,
    received_at: datetime.datetime,
) -> Passage:
    """An unsaved Passage with its digests and flags (for single and bulk writes)."""
    return Passage(
        checkpoint_id=checkpoint_id,
        shift_id=shift_id,
        client_id=clean.client_id,
        occurred_at=clean.occurred_at,
        received_at=received_at,
        direction=clean.direction,
        temperature=clean.temperature,
        temperature_confirmed_by=recorded_by if clean.temperature is not None else None,
        resident_id=clean.resident_id,
        name=clean.name,
        id_number=clean.id_number,
        id_digest=lookup_digest(clean.id_number) if clean.id_number else "",
        phone=clean.phone,
        phone_digest=lookup_digest(clean.phone) if clean.phone else "",
        origin_code=clean.origin_code,
        origin_name=clean.origin_name,
        purpose=clean.purpose,
        notice_given=clean.notice_given,
        source=source,
        recorded_by=recorded_by,
        is_fever=is_fever(clean.temperature),
        from_risk_area=from_risk_area,
    )


def passage_counters(passage: Passage, *, alert: bool) -> Counter[str]:
    counter: Counter[str] = Counter()
    counter["people_in" if passage.direction == Direction.IN else "people_out"] += 1
    if passage.is_fever:
        counter["fevers"] += 1
    if passage.from_risk_area:
        counter["risk_arrivals"] += 1
    if alert:
        counter["alerts_raised"] += 1
    return counter


def new_alert(passage: Passage) -> Alert | None:
    if not (passage.is_fever or passage.from_risk_area):
        return None
    return Alert(
        passage=passage,
        checkpoint_id=passage.checkpoint_id,
        fever=passage.is_fever,
        risk_area=passage.from_risk_area,
        raised_at=passage.occurred_at,
    )


def _require_open(checkpoint: Checkpoint) -> None:
    if checkpoint.status != CheckpointStatus.OPEN:
        raise CheckpointClosed()


_CLIENT_ID = Passage._meta.get_field("client_id")
_STORED_SQL = f"SELECT id, checkpoint_id FROM {Passage._meta.db_table} WHERE client_id = %s"  # noqa: S608


def _existing(client_id: Any, checkpoint: Checkpoint) -> Passage | None:
    """The row a retried registration already wrote, if any."""
    try:
        key = uuid.UUID(str(client_id)) if client_id else None
    except ValueError:
        return None
    if key is None:
        return None
    stored = sql.fetch_one(_STORED_SQL, [_CLIENT_ID.get_db_prep_value(key, connection)])
    if stored is None:
        return None
    if stored[1] != checkpoint.pk:
        raise Conflict(
            _("This client id was already used at another checkpoint."), code="client_id_taken"
        )
    return Passage.objects.get(pk=stored[0])


def _from_previous(actor: User, data: PassageInput, checkpoint: Checkpoint) -> PassageInput:
    """Fill identity fields from a returning visitor's earlier passage in the same village, at a
    gate whose register the actor may read (where person_lookup finds it)."""
    if data.previous_passage_id is None:
        return data
    previous = (
        Passage.objects.filter(
            pk=data.previous_passage_id,
            checkpoint__area__code__startswith=checkpoint.area.code,
            checkpoint__in=Checkpoint.objects.filter(checkpoints_q(actor, Ability.READ_REGISTER)),
        )
        .only(
            "name", "id_number", "phone", "id_digest", "phone_digest", "origin_code", "resident_id"
        )
        .first()
    )
    # One answer whether the passage does not exist, is out of sight, or was named without the
    # number the person is found by: an id alone must not tell which.
    if previous is None or not _found_by(
        data.id_number, data.phone, previous.id_digest, previous.phone_digest
    ):
        raise ValidationFailed.for_field(
            "previous_passage_id", _proof_needed(), code="proof_needed"
        )
    return PassageInput(
        **{
            **data.__dict__,
            "name": data.name or previous.name,
            "id_number": data.id_number or previous.id_number,
            "phone": data.phone or previous.phone,
            "origin_code": data.origin_code or previous.origin_code,
            "resident_id": data.resident_id or previous.resident_id,
            "previous_passage_id": None,
        }
    )


def _write(
    *,
    checkpoint: Checkpoint,
    clean: CleanPassage,
    source: str,
    actor: User | None,
    now: datetime.datetime,
) -> Passage:
    shift_id = current_shift_id(checkpoint.pk, clean.occurred_at)
    risky = RiskMatcher().matches(clean.origin_code, local_day(clean.occurred_at))
    passage = build_passage(
        clean,
        checkpoint_id=checkpoint.pk,
        shift_id=shift_id,
        source=source,
        recorded_by=actor,
        from_risk_area=risky,
        received_at=now,
    )
    passage.checkpoint = checkpoint  # for the audit entry's str(passage), without a query
    try:
        with transaction.atomic():
            # The statements of a registration are by hand (see core.sql), a dozen a request.
            sql.insert(passage)
            alert = new_alert(passage)
            if alert is not None:
                sql.insert(alert)
            # Spares the API a query for the alert it reports.
            passage.raised_alert = alert  # type: ignore[attr-defined]
            counters = passage_counters(passage, alert=alert is not None)
            bump(
                {(checkpoint.pk, local_day(passage.occurred_at)): counters},
                {shift_id: counters} if shift_id else None,
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                instance=passage,
                area_code=checkpoint.area.code,
                after=snapshot(passage, _AUDITED),
            )
    except IntegrityError:
        # A concurrent retry of the same registration won the race: return its row.
        existing = Passage.objects.filter(client_id=clean.client_id).first()
        if existing is None:
            raise
        existing.was_stored = True  # type: ignore[attr-defined]
        return existing
    return passage


_AUDITED = (
    "checkpoint",
    "occurred_at",
    "direction",
    "temperature",
    "name",
    "id_number",
    "phone",
    "origin_code",
    "source",
)


def passage_register(*, actor: User, checkpoint: Checkpoint, data: PassageInput) -> Passage:
    """Register one passage at the checkpoint; a repeat of the same client id returns the row
    already written."""
    require_checkpoint(actor, checkpoint, Ability.REGISTER)
    existing = _existing(data.client_id, checkpoint)
    if existing is not None:
        existing.was_stored = True  # type: ignore[attr-defined]
        return existing
    _require_open(checkpoint)
    data = _from_previous(actor, data, checkpoint)
    now = timezone.now()
    clean, errors = clean_passage(data, now=now)
    if clean is None:
        raise validation_failed(errors)
    return _write(
        checkpoint=checkpoint, clean=clean, source=PassageSource.STAFF, actor=actor, now=now
    )


def checkpoint_for_token(token: str) -> Checkpoint:
    """The checkpoint a QR link points at, or StaleToken."""
    checkpoint = (
        Checkpoint.objects.select_related("area").filter(qr_token=token).first() if token else None
    )
    if checkpoint is None:
        raise StaleToken()
    return checkpoint


def _client_id_stored(client_id: Any) -> bool:
    try:
        key = uuid.UUID(str(client_id)) if client_id else None
    except ValueError:
        return False
    return key is not None and (
        sql.fetch_one(_STORED_SQL, [_CLIENT_ID.get_db_prep_value(key, connection)]) is not None
    )


def passage_self_register(*, token: str, data: PassageInput) -> Passage | None:
    """A resident registers on their own phone from the checkpoint's QR code, without an
    account; the staff take the temperature when the person reaches the gate.

    A client id already stored (a retry, or anyone's guess) answers None, "already received":
    nothing of the stored row, not even at which checkpoint, goes back to the public."""
    checkpoint = checkpoint_for_token(token)
    if _client_id_stored(data.client_id):
        return None
    _require_open(checkpoint)
    now = timezone.now()
    self_data = PassageInput(
        **{
            **data.__dict__,
            # The time is the server's and the reading the staff's: a form cannot vouch for them.
            "occurred_at": None,
            "temperature": None,
            "resident_id": None,
            "previous_passage_id": None,
        }
    )
    clean, errors = clean_passage(self_data, now=now, temperature_required=False)
    if clean is None:
        raise validation_failed(errors)
    passage = _write(
        checkpoint=checkpoint, clean=clean, source=PassageSource.SELF, actor=None, now=now
    )
    return None if getattr(passage, "was_stored", False) else passage


def passage_confirm_temperature(*, actor: User, passage: Passage, temperature: Any) -> Passage:
    """The staff's reading for a self-registration; a fever raises (or widens) its alert."""
    checkpoint = passage.checkpoint
    require_checkpoint(actor, checkpoint, Ability.REGISTER)
    errors: Errors = {}
    reading = parse_temperature(temperature, errors, required=True)
    if reading is None:
        raise validation_failed(errors)
    with transaction.atomic():
        passage = Passage.objects.select_for_update().get(pk=passage.pk)
        if passage.temperature is not None:
            raise Conflict(
                _("This passage's temperature was already taken."), code="already_measured"
            )
        passage.temperature = reading
        passage.temperature_confirmed_by = actor
        passage.is_fever = is_fever(reading)
        passage.save(update_fields=["temperature", "temperature_confirmed_by", "is_fever"])
        counters: Counter[str] = Counter()
        if passage.is_fever:
            counters["fevers"] += 1
            alert = Alert.objects.filter(passage=passage).first()
            if alert is None:
                Alert.objects.create(
                    passage=passage,
                    checkpoint=checkpoint,
                    fever=True,
                    risk_area=False,
                    raised_at=timezone.now(),
                )
                counters["alerts_raised"] += 1
            elif not alert.fever:
                alert.fever = True
                alert.save(update_fields=["fever"])
        bump(
            {(checkpoint.pk, local_day(passage.occurred_at)): counters},
            {passage.shift_id: counters} if passage.shift_id else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=passage,
            area_code=checkpoint.area.code,
            before={"temperature": None},
            after={"temperature": str(reading)},
        )
    return passage


def register_unmasked_view(*, actor: User, checkpoint: Checkpoint, note: str) -> None:
    """Before showing a register's full ID numbers and mobiles: refuse a role that may not see
    them, and record in the audit trail that this one did (``note``: where, how many rows)."""
    require_checkpoint(actor, checkpoint, Ability.VIEW_PERSONAL_DATA)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.VIEW_PERSONAL_DATA,
            instance=checkpoint,
            area_code=checkpoint.area.code,
            note=note,
        )


# --- Finding a known person ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonMatch:
    kind: str  # "resident" or "visitor"
    resident_id: int | None
    name: str
    masked_id_number: str
    masked_phone: str
    origin_code: str
    origin_name: str
    last_seen: datetime.datetime | None
    passage_id: int | None = None  # a visitor's last passage, for previous_passage_id
    area_name: str = ""


def _digests(query: str) -> list[str]:
    query = (query or "").strip()
    digests = []
    with contextlib.suppress(ValidationError):
        digests.append(lookup_digest(normalize_id_number(query.upper())))
    with contextlib.suppress(ValidationError):
        digests.append(lookup_digest(normalize_mobile(query)))
    return digests


def person_lookup(*, actor: User, checkpoint: Checkpoint, query: str) -> list[PersonMatch]:
    """A person by whole ID number or mobile: residents of the district, then visitors who
    passed a checkpoint of this village before (their last passage)."""
    require_checkpoint(actor, checkpoint, Ability.REGISTER)
    digests = _digests(query)
    if not digests:
        raise ValidationFailed.for_field(
            "q", _("Enter a whole ID number or mobile number."), code="query_not_an_identifier"
        )
    matches: list[PersonMatch] = []
    residents = list(
        Resident.objects.filter(Q(id_number_digest__in=digests) | Q(phone_digest__in=digests))
        .select_related("area")
        .order_by("pk")[:10]
    )
    resident_ids = {r.pk for r in residents}
    # Where a person was last seen, and the earlier passage to start from, come only from gates
    # whose register the user may read: a known number must not tell their movements elsewhere.
    readable = Checkpoint.objects.filter(checkpoints_q(actor, Ability.READ_REGISTER))
    last_passages = (
        dict(
            Passage.objects.filter(resident_id__in=resident_ids, checkpoint__in=readable)
            .values("resident_id")
            .annotate(last=Max("occurred_at"))
            .order_by()
            .values_list("resident_id", "last")
        )
        if resident_ids
        else {}
    )
    for resident in residents:
        matches.append(
            PersonMatch(
                kind="resident",
                resident_id=resident.pk,
                name=resident.name,
                masked_id_number=mask_id_number(resident.id_number),
                masked_phone=mask_phone(resident.phone),
                origin_code="",
                origin_name="",
                last_seen=last_passages.get(resident.pk),
                area_name=resident.area.name,
            )
        )
    visitors = (
        Passage.objects.filter(Q(id_digest__in=digests) | Q(phone_digest__in=digests))
        .filter(
            checkpoint__area__code__startswith=checkpoint.area.code,
            checkpoint__in=readable,
            resident__isnull=True,
        )
        .order_by("-occurred_at", "-id")[:20]
    )
    seen: set[str] = set()
    for passage in visitors:
        key = passage.id_digest or passage.phone_digest
        if key in seen:
            continue
        seen.add(key)
        matches.append(
            PersonMatch(
                kind="visitor",
                resident_id=None,
                name=passage.name,
                masked_id_number=mask_id_number(passage.id_number),
                masked_phone=mask_phone(passage.phone),
                origin_code=passage.origin_code,
                origin_name=passage.origin_name,
                last_seen=passage.occurred_at,
                passage_id=passage.pk,
            )
        )
    return matches


# --- Alerts --------------------------------------------------------------------------------------


def alert_handle(*, actor: User, alert: Alert, outcome: str, note: str = "") -> Alert:
    """Close an alert with its outcome; the time to handle is recorded."""
    require_checkpoint(actor, alert.checkpoint, Ability.HANDLE_ALERTS)
    if outcome not in AlertOutcome.values:
        raise ValidationFailed.for_field(
            "outcome", _("Choose what was done about the alert."), code="unknown_outcome"
        )
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationFailed.for_field("note", _("At most %(n)d characters.") % {"n": 300})
    with transaction.atomic():
        alert = Alert.objects.select_for_update().select_related("passage").get(pk=alert.pk)
        if alert.handled_at is not None:
            raise Conflict(_("This alert was already handled."), code="already_handled")
        before = snapshot(alert, ["outcome", "handled_at"])
        alert.handled_at = max(timezone.now(), alert.raised_at)
        alert.handled_by = actor
        alert.outcome = outcome
        alert.note = note
        alert.save(update_fields=["handled_at", "handled_by", "outcome", "note"])
        counters: Counter[str] = Counter(alerts_handled=1)
        shift_id = alert.passage.shift_id
        bump(
            {(alert.checkpoint_id, local_day(alert.raised_at)): counters},
            {shift_id: counters} if shift_id else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=alert,
            area_code=alert.checkpoint.area.code,
            before=before,
            after=snapshot(alert, ["outcome", "handled_at"]),
            note=note,
        )
    return alert
