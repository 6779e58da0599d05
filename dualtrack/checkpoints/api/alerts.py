"""The alerts' routes and HQ's risk-area list."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from dualtrack.areas.selectors import risk_area_get_for, risk_area_list_for, risk_areas_current
from dualtrack.areas.services import risk_areas
from dualtrack.checkpoints.access import checkpoint_abilities, may_read_risk_areas
from dualtrack.checkpoints.api.references import READ
from dualtrack.checkpoints.models import Alert
from dualtrack.checkpoints.schemas import (
    AlertHandleIn,
    AlertOut,
    RiskAreaCreateIn,
    RiskAreaOut,
    RiskAreaUpdateIn,
)
from dualtrack.checkpoints.selectors.alerts import alert_get_for, alert_inbox_for, alert_list_for
from dualtrack.checkpoints.services import alerts as alert_services
from dualtrack.core.api import WRITE
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.models import User
from dualtrack.core.schemas import Id
from dualtrack.core.views import AuthenticatedRequest

router = Router()  # tagged "checkpoints" by the router of the package


# --- Alerts --------------------------------------------------------------------------------------


def _alert_out(user: User, alert: Alert, now: datetime.datetime) -> dict[str, Any]:
    shown = checkpoint_abilities(user, alert.checkpoint).see_alert_person
    return {
        "id": alert.pk,
        "checkpoint_id": alert.checkpoint_id,
        "checkpoint_name": alert.checkpoint.name,
        "village": alert.checkpoint.area.name,
        "passage_id": alert.passage_id if shown else None,
        "person_name": alert.passage.name if shown else None,
        "temperature": alert.passage.temperature if shown else None,
        "origin_name": alert.passage.origin_name if shown else None,
        "fever": alert.fever,
        "risk_area": alert.risk_area,
        "raised_at": alert.raised_at,
        "handled_at": alert.handled_at,
        "outcome": alert.outcome,
        "note": alert.note if shown else "",
        "is_escalated": alert.is_escalated(now),
        "minutes_to_handle": alert.minutes_to_handle,
    }


@router.get(
    "/alerts",
    response={200: list[AlertOut], **READ},
    operation_id="alert_list",
    summary="Alerts in scope (?inbox=true: the ones the caller answers for)",
)
def alert_list(
    request: AuthenticatedRequest,
    status: str = "open",
    escalated: bool | None = None,
    town: Id | None = None,
    checkpoint: Id | None = None,
    inbox: bool = False,
) -> list[dict[str, Any]]:
    if status not in ("open", "handled", "all"):
        raise ValidationFailed.for_field("status", _("Choose open, handled or all."))
    now = timezone.now()
    if inbox:
        alerts = alert_inbox_for(user=request.user, now=now)
    else:
        alerts = alert_list_for(
            user=request.user,
            status=status,
            escalated=escalated,
            town_id=town,
            checkpoint_id=checkpoint,
            now=now,
        )
    return [_alert_out(request.user, a, now) for a in alerts]


@router.post(
    "/alerts/{alert_id}/handle",
    response={200: AlertOut, **WRITE},
    operation_id="alert_handle",
    summary="Close an alert with its outcome",
)
def alert_handle(
    request: AuthenticatedRequest, alert_id: int, payload: AlertHandleIn
) -> dict[str, Any]:
    alert = alert_get_for(user=request.user, alert_id=alert_id)
    alert = alert_services.alert_handle(
        actor=request.user, alert=alert, outcome=payload.outcome, note=payload.note
    )
    return _alert_out(request.user, alert, timezone.now())


# --- Risk areas ----------------------------------------------------------------------------------


@router.get(
    "/risk-areas",
    response={200: list[RiskAreaOut], **READ},
    operation_id="risk_area_list",
    summary="HQ's risk-area list (?current=true: in force today)",
)
def risk_area_list(request: AuthenticatedRequest, current: bool = False) -> list[Any]:
    if current:
        if not may_read_risk_areas(request.user):
            return []
        return risk_areas_current()
    return list(risk_area_list_for(user=request.user)[:500])


@router.post(
    "/risk-areas",
    response={201: RiskAreaOut, **WRITE},
    operation_id="risk_area_create",
    summary="Add a region to the risk-area list",
)
def risk_area_create(request: AuthenticatedRequest, payload: RiskAreaCreateIn) -> Status[Any]:
    return Status(201, risk_areas.risk_area_create(actor=request.user, **payload.model_dump()))


@router.patch(
    "/risk-areas/{risk_area_id}",
    response={200: RiskAreaOut, **WRITE},
    operation_id="risk_area_update",
    summary="Change an entry of the risk-area list (end it with effective_to)",
)
def risk_area_update(
    request: AuthenticatedRequest, risk_area_id: int, payload: RiskAreaUpdateIn
) -> Any:
    risk_area = risk_area_get_for(user=request.user, risk_area_id=risk_area_id)
    return risk_areas.risk_area_update(
        actor=request.user, risk_area=risk_area, **payload.model_dump(exclude_unset=True)
    )
