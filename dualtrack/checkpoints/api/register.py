"""The passage register's routes: the register, a registration, the offline sync, the
temperature confirmation, the people lookup and the QR self-registration."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from dualtrack.checkpoints import throttle
from dualtrack.checkpoints.api.references import READ, checkpoint_of
from dualtrack.checkpoints.models import Alert, Passage
from dualtrack.checkpoints.schemas import (
    PassageIn,
    PassageOut,
    PassagePageOut,
    PersonMatchOut,
    SelfPassageIn,
    SelfPassageOut,
    SelfPassageReceivedOut,
    SyncIn,
    SyncReportOut,
    TemperatureIn,
)
from dualtrack.checkpoints.selectors.register import passage_get_for, passage_list_for
from dualtrack.checkpoints.services import (
    passage_input,
    people,
    self_registration,
    sync,
    temperature,
)
from dualtrack.checkpoints.services import passages as passage_services
from dualtrack.core.api import WRITE, before_transaction, problems, too_many_requests
from dualtrack.core.schemas import AfterId, PageSize
from dualtrack.core.views import AuthenticatedRequest

router = Router()  # tagged "checkpoints" by the router of the package


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
    checkpoint = checkpoint_of(user, checkpoint_id)
    items = passage_list_for(
        user=user, checkpoint=checkpoint, since=since, until=until, after=after or None, limit=limit
    )
    if unmasked:
        passage_services.register_unmasked_view(
            actor=user, checkpoint=checkpoint, note=f"register page: {len(items)} passages"
        )
    return {
        "items": [_passage_out(p, unmasked=unmasked) for p in items],
        "next_after": items[-1].pk if len(items) == limit else None,
    }


def _input(payload: PassageIn | SelfPassageIn) -> passage_input.PassageInput:
    return passage_input.PassageInput(**payload.model_dump())


@router.post(
    "/checkpoints/{checkpoint_id}/passages",
    response={200: PassageOut, 201: PassageOut, **WRITE},
    operation_id="passage_register",
    summary="Register one passage (201; 200 when the client id was already stored)",
)
def passage_register(
    request: AuthenticatedRequest, checkpoint_id: int, payload: PassageIn
) -> Status[dict[str, Any]]:
    checkpoint = checkpoint_of(request.user, checkpoint_id)
    passage = passage_services.passage_register(
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
def passages_sync(request: AuthenticatedRequest, payload: SyncIn) -> sync.SyncReport:
    return sync.passages_sync(actor=request.user, rows=payload.rows, queued_by=payload.queued_by)


@router.post(
    "/passages/{passage_id}/temperature",
    response={200: PassageOut, **WRITE},
    operation_id="passage_confirm_temperature",
    summary="The staff's temperature reading for a self-registration",
)
def passage_confirm_temperature(
    request: AuthenticatedRequest, passage_id: int, payload: TemperatureIn
) -> dict[str, Any]:
    passage = passage_get_for(user=request.user, passage_id=passage_id)
    passage = temperature.passage_confirm_temperature(
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
    checkpoint = checkpoint_of(request.user, checkpoint_id)
    return people.person_lookup(actor=request.user, checkpoint=checkpoint, query=q)


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _throttled(request: HttpRequest) -> HttpResponse | None:
    """One registration counted for the client address, before the operation's transaction (a
    count inside it kept the counter's row locked until the registration committed, so that one
    address's registrations queued); the refusal once past the rate."""
    if throttle.allow(f"self:{_client_address(request)}"):
        return None
    return too_many_requests(
        request, _("Too many registrations from this device; wait a minute and try again.")
    )


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
@before_transaction(_throttled)
def passage_self_register(
    request: HttpRequest, token: str, payload: SelfPassageIn
) -> Status[dict[str, Any]] | HttpResponse:
    passage = self_registration.passage_self_register(token=token, data=_input(payload))
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
