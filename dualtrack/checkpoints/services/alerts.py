"""Handling the alerts that passages raise."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.checkpoints.access import Ability, require_checkpoint
from dualtrack.checkpoints.models import (
    Alert,
    AlertOutcome,
)
from dualtrack.checkpoints.selectors.register import local_day
from dualtrack.checkpoints.services.rollups import bump
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import (
    Conflict,
    ValidationFailed,
)
from dualtrack.core.models import AuditAction, User


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
