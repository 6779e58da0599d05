"""The health API: the alerts (what screening and the quarantine checks find) and their
handling."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from dualtrack.core.api import LIST, READ, WRITE
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.models import User
from dualtrack.core.schemas import Id, PageSize
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.health.access.alerts import health_alert_permissions, is_escalated
from dualtrack.health.models import HealthAlert
from dualtrack.health.schemas.alerts import HealthAlertHandleIn, HealthAlertOut
from dualtrack.health.selectors.alerts import (
    STATUSES,
    health_alert_get_for,
    health_alert_list_for,
)
from dualtrack.health.services import alerts as alert_services

router = Router(tags=["health"])


def alert_out(user: User, alert: HealthAlert, now: datetime.datetime) -> dict[str, Any]:
    may = health_alert_permissions(user, alert)
    shown = may.see_person
    handled_by = alert.handled_by
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "kind_label": alert.get_kind_display(),
        "area_id": alert.area_id,
        "area_name": alert.area.name,
        "name": alert.name if shown else None,
        "detail": alert.detail if shown else None,
        "resident_id": alert.resident_id if shown else None,
        "proposed": alert.proposed,
        "proposed_label": alert.get_proposed_display() if alert.proposed else "",
        "raised_at": alert.raised_at,
        "is_escalated": is_escalated(alert, now),
        "handled_at": alert.handled_at,
        "handled_by": (handled_by.display_name or handled_by.username) if handled_by else None,
        "outcome": alert.outcome,
        "note": alert.note if shown else None,
        "may_handle": may.handle and alert.handled_at is None,
    }


@router.get(
    "/alerts",
    response={200: list[HealthAlertOut], **LIST},
    operation_id="health_alert_list",
    summary="Health alerts in scope, newest first (status open, handled or all; town)",
)
def alert_list(
    request: AuthenticatedRequest,
    status: str = "open",
    town: Id | None = None,
    limit: PageSize = 100,
) -> list[dict[str, Any]]:
    if status not in STATUSES:
        raise ValidationFailed.for_field("status", _("Choose open, handled or all."))
    now = timezone.now()
    alerts = health_alert_list_for(user=request.user, status=status, town_id=town, limit=limit)
    return [alert_out(request.user, alert, now) for alert in alerts]


@router.get(
    "/alerts/{health_alert_id}",
    response={200: HealthAlertOut, **READ},
    operation_id="health_alert_get",
    summary="One health alert",
)
def alert_get(request: AuthenticatedRequest, health_alert_id: int) -> dict[str, Any]:
    alert = health_alert_get_for(user=request.user, alert_id=health_alert_id)
    return alert_out(request.user, alert, timezone.now())


@router.post(
    "/alerts/{health_alert_id}/handle",
    response={200: HealthAlertOut, **WRITE},
    operation_id="health_alert_handle",
    summary="Close a health alert with what was done (quarantined, hospital, cleared); once",
)
def alert_handle(
    request: AuthenticatedRequest, health_alert_id: int, payload: HealthAlertHandleIn
) -> dict[str, Any]:
    alert = health_alert_get_for(user=request.user, alert_id=health_alert_id)
    alert = alert_services.alert_handle(
        actor=request.user, alert=alert, outcome=payload.outcome, note=payload.note
    )
    return alert_out(request.user, alert, timezone.now())
