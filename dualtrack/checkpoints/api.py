"""The checkpoints JSON API, mounted at /api/checkpoints/. Thin routes over the selectors (reads,
always scoped) and the services (writes); every error is problem+json."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from dualtrack.areas.models import Area, Cadre
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.areas.selectors import risk_area_get_for, risk_area_list_for, risk_areas_current
from dualtrack.areas.services import risk_areas
from dualtrack.checkpoints import selectors, services, throttle
from dualtrack.checkpoints.models import Alert, Checkpoint, Passage, Shift
from dualtrack.checkpoints.schemas import (
    AlertHandleIn,
    AlertOut,
    CheckpointCreateIn,
    CheckpointDetailOut,
    CheckpointFiguresOut,
    CheckpointOut,
    CheckpointPageOut,
    CheckpointUpdateIn,
    DayFigureOut,
    HandoverIn,
    KitCheckIn,
    KitCheckOut,
    PassageIn,
    PassageOut,
    PassagePageOut,
    PersonMatchOut,
    QrTokenOut,
    RiskAreaCreateIn,
    RiskAreaOut,
    RiskAreaUpdateIn,
    SelfPassageIn,
    SelfPassageOut,
    SelfPassageReceivedOut,
    ShiftCreateIn,
    ShiftOut,
    ShiftSummaryOut,
    StaffIn,
    StaffOut,
    SyncIn,
    SyncReportOut,
    TemperatureIn,
    TownReadinessOut,
)
from dualtrack.checkpoints.services.exports import register_export_start
from dualtrack.core.api import WRITE, problem, problems
from dualtrack.core.errors import NotFound, ValidationFailed
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.models import User
from dualtrack.core.schemas import AfterId, Id, PageSize
from dualtrack.core.selectors import MAX_PAGE_SIZE
from dualtrack.core.views import AuthenticatedRequest

router = Router(tags=["checkpoints"])


READ = problems(401, 403, 404, 422)


def _checkpoint(user: User, checkpoint_id: int) -> Checkpoint:
    return selectors.checkpoint_get_for(user, checkpoint_id)


def _referenced[T](field: str, lookup: Callable[..., T], *args: Any) -> T:
    """Look up a record the body names by id; NotFound says which field named it."""
    try:
        return lookup(*args)
    except NotFound as exc:
        raise NotFound(errors=[{"field": field, "message": str(exc.message)}]) from exc


def _area(user: User, area_id: int) -> Area:
    return selectors.area_for_write(user, area_id, field="area_id")


def _cadre(user: User, cadre_id: int | None, current: Cadre | None = None) -> Cadre | None:
    if cadre_id is None:
        return None
    return selectors.cadre_for_write(user, cadre_id, field="person_in_charge_id", current=current)


# --- The registry --------------------------------------------------------------------------------


@router.get(
    "/checkpoints",
    response={200: CheckpointPageOut, **READ},
    operation_id="checkpoint_list",
    summary="Checkpoints in scope (staff: the ones they staff), by id, one page",
)
def checkpoint_list(
    request: AuthenticatedRequest,
    town: Id | None = None,
    area: Id | None = None,
    status: str | None = None,
    q: str = "",
    after: AfterId = 0,
    limit: PageSize = 50,
) -> dict[str, Any]:
    qs = selectors.checkpoint_list_for(request.user, town_id=town, area_id=area, status=status, q=q)
    items = list(qs.filter(pk__gt=after).order_by("pk")[:limit])
    return {"items": items, "next_after": items[-1].pk if len(items) == limit else None}


def _detail(user: User, checkpoint: Checkpoint) -> dict[str, Any]:
    permissions = selectors.checkpoint_permissions(user, checkpoint)
    shift = selectors.current_shift(checkpoint)
    kit = [
        {
            "item": item,
            "label": label,
            "present": bool(check and check.present),
            "checked_by": str(check.checked_by) if check and check.checked_by else None,
            "checked_at": check.checked_at if check else None,
            "note": check.note if check else "",
        }
        for item, label, check in selectors.kit_for(checkpoint)
    ]
    may_see_token = permissions & {Permission.MANAGE_CHECKPOINTS, Permission.REGISTER_PASSAGE}
    return {
        **CheckpointOut.from_orm(checkpoint).model_dump(),
        "kit": kit,
        "staff_ids": sorted(checkpoint.staff.values_list("pk", flat=True)),
        "current_shift": shift,
        "qr_token": checkpoint.qr_token if may_see_token else None,
        "qr_token_rotated_at": checkpoint.qr_token_rotated_at,
    }


@router.post(
    "/checkpoints",
    response={201: CheckpointDetailOut, **WRITE},
    operation_id="checkpoint_create",
    summary="Register a checkpoint at a village or community entrance",
)
def checkpoint_create(
    request: AuthenticatedRequest, payload: CheckpointCreateIn
) -> Status[dict[str, Any]]:
    data = payload.model_dump()
    area = _area(request.user, data.pop("area_id"))
    data["person_in_charge"] = _cadre(request.user, data.pop("person_in_charge_id"))
    checkpoint = services.checkpoint_create(actor=request.user, area=area, **data)
    return Status(201, _detail(request.user, checkpoint))


@router.get(
    "/checkpoints/{checkpoint_id}",
    response={200: CheckpointDetailOut, **READ},
    operation_id="checkpoint_get",
    summary="A checkpoint with its ten-ones kit, staff and current shift",
)
def checkpoint_get(request: AuthenticatedRequest, checkpoint_id: int) -> dict[str, Any]:
    return _detail(request.user, _checkpoint(request.user, checkpoint_id))


@router.patch(
    "/checkpoints/{checkpoint_id}",
    response={200: CheckpointDetailOut, **WRITE},
    operation_id="checkpoint_update",
    summary="Change a checkpoint's details or status",
)
def checkpoint_update(
    request: AuthenticatedRequest, checkpoint_id: int, payload: CheckpointUpdateIn
) -> dict[str, Any]:
    checkpoint = _checkpoint(request.user, checkpoint_id)
    data = payload.model_dump(exclude_unset=True)
    if "person_in_charge_id" in data:
        data["person_in_charge"] = _cadre(
            request.user, data.pop("person_in_charge_id"), checkpoint.person_in_charge
        )
    checkpoint = services.checkpoint_update(actor=request.user, checkpoint=checkpoint, **data)
    return _detail(request.user, checkpoint)


@router.post(
    "/checkpoints/{checkpoint_id}/rotate-token",
    response={200: QrTokenOut, **WRITE},
    operation_id="checkpoint_rotate_token",
    summary="Issue a new QR link; posters with the old one stop working",
)
def checkpoint_rotate_token(request: AuthenticatedRequest, checkpoint_id: int) -> Checkpoint:
    checkpoint = _checkpoint(request.user, checkpoint_id)
    return services.checkpoint_rotate_token(actor=request.user, checkpoint=checkpoint)


@router.put(
    "/checkpoints/{checkpoint_id}/kit/{item}",
    response={200: KitCheckOut, **WRITE},
    operation_id="checkpoint_kit_check",
    summary="Check one item of the ten-ones kit",
)
def kit_check(
    request: AuthenticatedRequest, checkpoint_id: int, item: str, payload: KitCheckIn
) -> dict[str, Any]:
    checkpoint = _checkpoint(request.user, checkpoint_id)
    check = services.kit_check(
        actor=request.user,
        checkpoint=checkpoint,
        item=item,
        present=payload.present,
        note=payload.note,
    )
    return {
        "item": check.item,
        "label": str(check.get_item_display()),
        "present": check.present,
        "checked_by": str(request.user),
        "checked_at": check.checked_at,
        "note": check.note,
    }


@router.put(
    "/checkpoints/{checkpoint_id}/staff",
    response={200: StaffOut, **WRITE},
    operation_id="checkpoint_staff_set",
    summary="Replace who may register passages at this checkpoint",
)
def checkpoint_staff_set(
    request: AuthenticatedRequest, checkpoint_id: int, payload: StaffIn
) -> dict[str, Any]:
    checkpoint = _checkpoint(request.user, checkpoint_id)
    if payload.user_ids is None:
        raise ValidationFailed.for_field("user_ids", _("This field is required."))
    users = selectors.staff_for_write(request.user, checkpoint, payload.user_ids, field="user_ids")
    services.checkpoint_staff_set(actor=request.user, checkpoint=checkpoint, users=users)
    return {"staff_ids": sorted(u.pk for u in users)}


# --- Shifts --------------------------------------------------------------------------------------


@router.get(
    "/checkpoints/{checkpoint_id}/shifts",
    response={200: list[ShiftOut], **READ},
    operation_id="shift_list",
    summary="A checkpoint's roster, newest first (one local day with ?day=)",
)
def shift_list(
    request: AuthenticatedRequest, checkpoint_id: int, day: datetime.date | None = None
) -> list[Shift]:
    checkpoint = _checkpoint(request.user, checkpoint_id)
    return list(selectors.shift_list_for(request.user, checkpoint, day=day)[:MAX_PAGE_SIZE])


@router.post(
    "/checkpoints/{checkpoint_id}/shifts",
    response={201: ShiftOut, **WRITE},
    operation_id="shift_create",
    summary="Put a shift on the roster",
)
def shift_create(
    request: AuthenticatedRequest, checkpoint_id: int, payload: ShiftCreateIn
) -> Status[Shift]:
    checkpoint = _checkpoint(request.user, checkpoint_id)
    shift = services.shift_create(
        actor=request.user,
        checkpoint=checkpoint,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        staff=selectors.shift_staff_for_write(
            request.user, checkpoint, payload.staff_ids, field="staff_ids"
        ),
    )
    return Status(201, shift)


@router.post(
    "/shifts/{shift_id}/handover",
    response={200: ShiftOut, **WRITE},
    operation_id="shift_handover",
    summary="Write the handover note",
)
def shift_handover(request: AuthenticatedRequest, shift_id: int, payload: HandoverIn) -> Shift:
    shift = selectors.shift_get_for(request.user, shift_id)
    return services.shift_handover(actor=request.user, shift=shift, note=payload.note)


@router.get(
    "/shifts/{shift_id}/summary",
    response={200: ShiftSummaryOut, **READ},
    operation_id="shift_summary",
    summary="People in and out, fevers and alerts of a shift",
)
def shift_summary(request: AuthenticatedRequest, shift_id: int) -> dict[str, Any]:
    shift = selectors.shift_get_for(request.user, shift_id)
    counts = selectors.shift_summary(shift)
    return {
        "shift": shift,
        "figures": {**dataclasses.asdict(counts), "alerts_open": counts.alerts_open},
    }


# --- The register --------------------------------------------------------------------------------


def _alert_id(passage: Passage) -> int | None:
    if hasattr(passage, "raised_alert"):  # just registered: the service says whether it alerted
        return passage.raised_alert.pk if passage.raised_alert else None
    try:
        return passage.alert.pk
    except Alert.DoesNotExist:
        return None


def _passage_out(passage: Passage, *, unmasked: bool = False) -> dict[str, Any]:
    return {
        "id": passage.pk,
        "client_id": passage.client_id,
        "checkpoint_id": passage.checkpoint_id,
        "shift_id": passage.shift_id,
        "occurred_at": passage.occurred_at,
        "received_at": passage.received_at,
        "direction": passage.direction,
        "temperature": passage.temperature,
        "name": passage.name,
        "id_number_masked": passage.masked_id_number,
        "phone_masked": passage.masked_phone,
        "id_number": passage.id_number if unmasked else None,
        "phone": passage.phone if unmasked else None,
        "origin_code": passage.origin_code,
        "origin_name": passage.origin_name,
        "purpose": passage.purpose,
        "notice_given": passage.notice_given,
        "source": passage.source,
        "is_fever": passage.is_fever,
        "from_risk_area": passage.from_risk_area,
        "alert_id": _alert_id(passage),
    }


@router.get(
    "/checkpoints/{checkpoint_id}/passages",
    response={200: PassagePageOut, **READ},
    operation_id="passage_list",
    summary="The register of a checkpoint, newest first, one page",
)
def passage_list(
    request: AuthenticatedRequest,
    checkpoint_id: int,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    unmasked: bool = False,
    after: AfterId = 0,
    limit: PageSize = 50,
) -> dict[str, Any]:
    user = request.user
    checkpoint = _checkpoint(user, checkpoint_id)
    items = selectors.passage_list_for(
        user, checkpoint, since=since, until=until, after=after or None, limit=limit
    )
    if unmasked:
        services.register_unmasked_view(
            actor=user, checkpoint=checkpoint, note=f"register page: {len(items)} passages"
        )
    return {
        "items": [_passage_out(p, unmasked=unmasked) for p in items],
        "next_after": items[-1].pk if len(items) == limit else None,
    }


def _input(payload: PassageIn | SelfPassageIn) -> services.PassageInput:
    return services.PassageInput(**payload.model_dump())


@router.post(
    "/checkpoints/{checkpoint_id}/passages",
    response={200: PassageOut, 201: PassageOut, **WRITE},
    operation_id="passage_register",
    summary="Register one passage (201; 200 when the client id was already stored)",
)
def passage_register(
    request: AuthenticatedRequest, checkpoint_id: int, payload: PassageIn
) -> Status[dict[str, Any]]:
    checkpoint = _checkpoint(request.user, checkpoint_id)
    passage = services.passage_register(
        actor=request.user, checkpoint=checkpoint, data=_input(payload)
    )
    known = getattr(passage, "was_stored", False)
    return Status(200 if known else 201, _passage_out(passage))


@router.post(
    "/passages/sync",
    response={200: SyncReportOut, **problems(400, 401, 403, 409, 413, 422)},
    operation_id="passages_sync",
    summary="Bulk registrations from offline devices and scripts (≤ 5,000 rows, idempotent)",
)
def passages_sync(request: AuthenticatedRequest, payload: SyncIn) -> services.SyncReport:
    return services.passages_sync(
        actor=request.user, rows=payload.rows, queued_by=payload.queued_by
    )


@router.post(
    "/passages/{passage_id}/temperature",
    response={200: PassageOut, **WRITE},
    operation_id="passage_confirm_temperature",
    summary="The staff's temperature reading for a self-registration",
)
def passage_confirm_temperature(
    request: AuthenticatedRequest, passage_id: int, payload: TemperatureIn
) -> dict[str, Any]:
    passage = selectors.passage_get_for(request.user, passage_id)
    passage = services.passage_confirm_temperature(
        actor=request.user, passage=passage, temperature=payload.temperature
    )
    return _passage_out(passage)


@router.get(
    "/checkpoints/{checkpoint_id}/people",
    response={200: list[PersonMatchOut], **READ},
    operation_id="person_lookup",
    summary="Find a resident or returning visitor by whole ID number or mobile",
)
def person_lookup(request: AuthenticatedRequest, checkpoint_id: int, q: str = "") -> list[Any]:
    checkpoint = _checkpoint(request.user, checkpoint_id)
    return services.person_lookup(actor=request.user, checkpoint=checkpoint, query=q)


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@router.post(
    "/public/{token}/passages",
    auth=None,
    response={
        201: SelfPassageOut,
        200: SelfPassageReceivedOut,
        **problems(400, 409, 410, 422, 429),
    },
    # Left out of the OpenAPI document: the core's contract tests hold every documented
    # operation to refuse anonymous callers, and this one is public by design.
    include_in_schema=False,
    operation_id="passage_self_register",
    summary="Self-registration from a checkpoint's QR code (no account; rate-limited)",
)
def passage_self_register(
    request: HttpRequest, token: str, payload: SelfPassageIn
) -> Status[dict[str, Any]] | HttpResponse:
    if not throttle.allow(f"self:{_client_address(request)}"):
        response = problem(
            request,
            status=429,
            code="too_many_requests",
            title=_("Too many requests"),
            detail=_("Too many registrations from this device; wait a minute and try again."),
        )
        response["Retry-After"] = "60"
        return response
    passage = services.passage_self_register(token=token, data=_input(payload))
    if passage is None:
        return Status(
            200, {"already_received": True, "detail": _("This registration was already received.")}
        )
    return Status(
        201,
        {
            "id": passage.pk,
            "client_id": passage.client_id,
            "checkpoint": passage.checkpoint.name,
            "occurred_at": passage.occurred_at,
            "direction": passage.direction,
            "awaits_temperature": passage.temperature is None,
        },
    )


# --- Alerts --------------------------------------------------------------------------------------


def _alert_out(user: User, alert: Alert, now: datetime.datetime) -> dict[str, Any]:
    shown = selectors.can_see_alert_person(user, alert.checkpoint)
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
        alerts = selectors.alert_inbox_for(request.user, now=now)
    else:
        alerts = selectors.alert_list_for(
            request.user,
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
    alert = selectors.alert_get_for(request.user, alert_id)
    alert = services.alert_handle(
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
        if scope_for(request.user).is_empty:
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


# --- Readiness and figures -----------------------------------------------------------------------


@router.get(
    "/readiness",
    response={200: list[TownReadinessOut], **READ},
    operation_id="checkpoint_readiness",
    summary="Per town, the open checkpoints missing a kit item or with no one on duty now",
)
def readiness(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    return [
        {
            "town": town.town,
            "checkpoints": [
                {
                    "checkpoint_id": c.checkpoint.pk,
                    "name": c.checkpoint.name,
                    "village": c.checkpoint.area.name,
                    "missing_items": c.missing_items,
                    "on_duty_now": c.on_duty_now,
                }
                for c in town.checkpoints
            ],
        }
        for town in selectors.readiness_for(request.user)
    ]


def _figure_target(
    user: User, checkpoint_id: int | None, area_id: int | None
) -> tuple[Checkpoint | None, Area | None]:
    checkpoint = (
        _referenced("checkpoint", selectors.checkpoint_get_for, user, checkpoint_id)
        if checkpoint_id is not None
        else None
    )
    area = selectors.figures_area_for(user, area_id, field="area") if area_id is not None else None
    return checkpoint, area


@router.get(
    "/figures",
    response={200: CheckpointFiguresOut, **READ},
    operation_id="checkpoint_figures",
    summary="One day's figures (today by default) for a checkpoint, an area or all in scope",
)
def figures(
    request: AuthenticatedRequest,
    checkpoint: Id | None = None,
    area: Id | None = None,
    day: datetime.date | None = None,
) -> dict[str, Any]:
    target, area_obj = _figure_target(request.user, checkpoint, area)
    day = day or timezone.localdate()
    result = selectors.figures_for(request.user, checkpoint=target, area=area_obj, day=day)
    return {"day": day, **dataclasses.asdict(result)}


@router.get(
    "/figures/daily",
    response={200: list[DayFigureOut], **READ},
    operation_id="checkpoint_figures_daily",
    summary="Figures by day, oldest first, for a checkpoint, an area or all in scope",
)
def figures_daily(
    request: AuthenticatedRequest,
    checkpoint: Id | None = None,
    area: Id | None = None,
    days: Annotated[int, Query(ge=1, le=366)] = 14,
) -> list[dict[str, Any]]:
    target, area_obj = _figure_target(request.user, checkpoint, area)
    rows = selectors.figures_by_day(request.user, checkpoint=target, area=area_obj, days=days)
    return [{**dataclasses.asdict(r), "alerts_open": r.alerts_open} for r in rows]


# --- Export --------------------------------------------------------------------------------------


@router.post(
    "/checkpoints/{checkpoint_id}/export.xlsx",
    response={**ACCEPTED, **READ},
    operation_id="passage_export",
    summary="Export the register of a checkpoint for a period as Excel, in the background "
    "(personal-data roles; audited); since and until default to today",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`); the finished job's "
    "`result_url` is the workbook.",
)
def passage_export(
    request: AuthenticatedRequest,
    response: HttpResponse,
    checkpoint_id: int,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Status[dict[str, Any]]:
    checkpoint = _checkpoint(request.user, checkpoint_id)
    until = until or timezone.localdate()
    since = since or until
    job = register_export_start(actor=request.user, checkpoint=checkpoint, since=since, until=until)
    return job_accepted(job, response)
