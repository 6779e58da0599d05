"""Raising a health alert: what screening or a quarantine check found, put before the liaison
cadre answerable for the person's village (handling it is in the alert pages' services)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from dualtrack.areas.models import Area, LiaisonAssignment, Resident
from dualtrack.core.audit import audit_record
from dualtrack.core.models import AuditAction, User
from dualtrack.health.models import HealthAlert, QuarantineOrder, ScreeningRecord


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
