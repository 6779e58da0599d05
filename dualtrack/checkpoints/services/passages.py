"""The passage register at a gate: a staff registration, and the unmasked view of the
register audited. The self-registration, the temperature confirmation, the people lookup and
the alerts are in modules of their own; the checks of an input in ``passage_input``."""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualtrack.checkpoints.access import Ability, checkpoints_q, require_checkpoint
from dualtrack.checkpoints.models import (
    Alert,
    Checkpoint,
    CheckpointStatus,
    Direction,
    Passage,
    PassageSource,
)
from dualtrack.checkpoints.selectors.checkpoints import current_shift_id
from dualtrack.checkpoints.selectors.register import local_day
from dualtrack.checkpoints.services.passage_input import (
    CleanPassage,
    PassageInput,
    RiskMatcher,
    clean_passage,
    found_by,
    is_fever,
    proof_needed,
    validation_failed,
)
from dualtrack.checkpoints.services.rollups import bump
from dualtrack.core import sql
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import (
    Conflict,
    ValidationFailed,
)
from dualtrack.core.models import AuditAction, User


class CheckpointClosed(Conflict):
    code = "checkpoint_not_open"
    default_message = gettext_lazy("This checkpoint is not open: nothing can be registered here.")


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


def require_open(checkpoint: Checkpoint) -> None:
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
    if previous is None or not found_by(
        data.id_number, data.phone, previous.id_digest, previous.phone_digest
    ):
        raise ValidationFailed.for_field("previous_passage_id", proof_needed(), code="proof_needed")
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


def write_passage(
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
    require_open(checkpoint)
    data = _from_previous(actor, data, checkpoint)
    now = timezone.now()
    clean, errors = clean_passage(data, now=now)
    if clean is None:
        raise validation_failed(errors)
    return write_passage(
        checkpoint=checkpoint, clean=clean, source=PassageSource.STAFF, actor=actor, now=now
    )


def client_id_stored(client_id: Any) -> bool:
    try:
        key = uuid.UUID(str(client_id)) if client_id else None
    except ValueError:
        return False
    return key is not None and (
        sql.fetch_one(_STORED_SQL, [_CLIENT_ID.get_db_prep_value(key, connection)]) is not None
    )


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
