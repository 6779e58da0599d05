"""The staff confirm the temperature of a self-registered passage at the gate."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.checkpoints.access import Ability, require_checkpoint
from dualtrack.checkpoints.models import (
    Alert,
    Passage,
)
from dualtrack.checkpoints.selectors.register import local_day
from dualtrack.checkpoints.services.passage_input import (
    Errors,
    is_fever,
    parse_temperature,
    validation_failed,
)
from dualtrack.checkpoints.services.rollups import bump
from dualtrack.core.audit import audit_record
from dualtrack.core.errors import (
    Conflict,
)
from dualtrack.core.models import AuditAction, User


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
