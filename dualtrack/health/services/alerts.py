"""Raising a health alert: what screening or a quarantine check found, put before the liaison
cadre answerable for the person's village; and handling it, once, with what was done."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, LiaisonAssignment, Resident
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed, require_text
from dualtrack.core.models import AuditAction, User
from dualtrack.health.access.alerts import require_handle_health_alert
from dualtrack.health.models import AlertOutcome, HealthAlert, QuarantineOrder, ScreeningRecord

NOTE_MAX_LENGTH = 300
HANDLED_FIELDS = ["outcome", "handled_at", "note"]


def liaison_of(area: Area) -> LiaisonAssignment | None:
    """The liaison assignment answerable for ``area`` today: the area's own, else the nearest
    village's or community's above it (a group's household answers to its village's)."""
    today = timezone.localdate()
    codes = [area.code[:n] for n in range(len(area.code), 1, -1)]
    return (
        LiaisonAssignment.objects.filter(
            Q(until__isnull=True) | Q(until__gte=today),
            area__code__in=codes,
            since__lte=today,
        )
        .select_related("cadre", "area")
        .order_by("-area__code", "-since")
        .first()
    )


def alert_raise(
    *,
    actor: User | None,
    kind: str,
    area: Area,
    name: str,
    detail: str = "",
    resident: Resident | None = None,
    record: ScreeningRecord | None = None,
    order: QuarantineOrder | None = None,
    proposed: str = "",
) -> HealthAlert:
    """Open a follow-up for the area's liaison cadre; call inside the caller's transaction."""
    liaison = liaison_of(area)
    alert = HealthAlert.objects.create(
        kind=kind,
        area=area,
        liaison=liaison.cadre if liaison else None,
        resident=resident,
        record=record,
        order=order,
        name=name,
        detail=detail[:300],
        proposed=proposed,
        raised_at=timezone.now(),
    )
    audit_record(actor=actor, action=AuditAction.CREATE, instance=alert, area_code=area.code)
    return alert


def alert_handle(*, actor: User, alert: HealthAlert, outcome: str, note: str = "") -> HealthAlert:
    """Close a follow-up with what was done (placed under quarantine, transferred to hospital,
    cleared) and a note. An alert is handled once: a second handling is a Conflict (409)."""
    require_handle_health_alert(actor, alert)
    if outcome not in AlertOutcome.values:
        raise ValidationFailed.for_field(
            "outcome", _("Choose what was done about the alert."), code="unknown_outcome"
        )
    note = require_text("note", note, max_length=NOTE_MAX_LENGTH, required=False)
    with transaction.atomic():
        alert = HealthAlert.objects.select_for_update().select_related("area").get(pk=alert.pk)
        if alert.handled_at is not None:
            raise Conflict(_("This alert was already handled."), code="already_handled")
        before = snapshot(alert, HANDLED_FIELDS)
        alert.handled_at = max(timezone.now(), alert.raised_at)
        alert.handled_by = actor
        alert.outcome = outcome
        alert.note = note
        alert.save(update_fields=["handled_at", "handled_by", "outcome", "note"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=alert,
            area_code=alert.area.code,
            before=before,
            after=snapshot(alert, HANDLED_FIELDS),
            note=note,
        )
    return alert
