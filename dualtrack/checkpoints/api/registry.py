"""The registry's routes: checkpoints, their kit and staff, shifts and handovers."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Status

from dualtrack.checkpoints.access import checkpoint_abilities
from dualtrack.checkpoints.api.references import READ, checkpoint_of
from dualtrack.checkpoints.figures import shift_summary as shift_counts
from dualtrack.checkpoints.models import Checkpoint, Shift
from dualtrack.checkpoints.schemas import (
    CheckpointCreateIn,
    CheckpointDetailOut,
    CheckpointOut,
    CheckpointPageOut,
    CheckpointUpdateIn,
    HandoverIn,
    KitCheckIn,
    KitCheckOut,
    QrTokenOut,
    ShiftCreateIn,
    ShiftOut,
    ShiftSummaryOut,
    StaffIn,
    StaffOut,
)
from dualtrack.checkpoints.selectors.checkpoints import (
    checkpoint_list_for,
    current_shift,
    kit_for,
    shift_get_for,
    shift_list_for,
)
from dualtrack.checkpoints.selectors.references import (
    area_for_write,
    person_in_charge_for_write,
    shift_staff_for_write,
    staff_for_write,
)
from dualtrack.checkpoints.services import registry as registry_services
from dualtrack.core.api import WRITE
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.models import User
from dualtrack.core.schemas import AfterId, Id, PageSize
from dualtrack.core.selectors import MAX_PAGE_SIZE
from dualtrack.core.views import AuthenticatedRequest

router = Router()  # tagged "checkpoints" by the router of the package


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
    qs = checkpoint_list_for(user=request.user, town_id=town, area_id=area, status=status, q=q)
    items = list(qs.filter(pk__gt=after).order_by("pk")[:limit])
    return {"items": items, "next_after": items[-1].pk if len(items) == limit else None}


def _detail(user: User, checkpoint: Checkpoint) -> dict[str, Any]:
    may = checkpoint_abilities(user, checkpoint)
    shift = current_shift(checkpoint=checkpoint)
    kit = [
        {
            "item": item,
            "label": label,
            "present": bool(check and check.present),
            "checked_by": str(check.checked_by) if check and check.checked_by else None,
            "checked_at": check.checked_at if check else None,
            "note": check.note if check else "",
        }
        for item, label, check in kit_for(checkpoint=checkpoint)
    ]
    return {
        **CheckpointOut.from_orm(checkpoint).model_dump(),
        "kit": kit,
        "staff_ids": sorted(checkpoint.staff.values_list("pk", flat=True)),
        "current_shift": shift,
        "qr_token": checkpoint.qr_token if may.use_kit else None,
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
    area = area_for_write(user=request.user, area_id=data.pop("area_id"), field="area_id")
    data["person_in_charge"] = person_in_charge_for_write(
        user=request.user, cadre_id=data.pop("person_in_charge_id")
    )
    checkpoint = registry_services.checkpoint_create(actor=request.user, area=area, **data)
    return Status(201, _detail(request.user, checkpoint))


@router.get(
    "/checkpoints/{checkpoint_id}",
    response={200: CheckpointDetailOut, **READ},
    operation_id="checkpoint_get",
    summary="A checkpoint with its ten-ones kit, staff and current shift",
)
def checkpoint_get(request: AuthenticatedRequest, checkpoint_id: int) -> dict[str, Any]:
    return _detail(request.user, checkpoint_of(request.user, checkpoint_id))


@router.patch(
    "/checkpoints/{checkpoint_id}",
    response={200: CheckpointDetailOut, **WRITE},
    operation_id="checkpoint_update",
    summary="Change a checkpoint's details or status",
)
def checkpoint_update(
    request: AuthenticatedRequest, checkpoint_id: int, payload: CheckpointUpdateIn
) -> dict[str, Any]:
    checkpoint = checkpoint_of(request.user, checkpoint_id)
    data = payload.model_dump(exclude_unset=True)
    if "person_in_charge_id" in data:
        data["person_in_charge"] = person_in_charge_for_write(
            user=request.user,
            cadre_id=data.pop("person_in_charge_id"),
            current=checkpoint.person_in_charge,
        )
    checkpoint = registry_services.checkpoint_update(
        actor=request.user, checkpoint=checkpoint, **data
    )
    return _detail(request.user, checkpoint)


@router.post(
    "/checkpoints/{checkpoint_id}/rotate-token",
    response={200: QrTokenOut, **WRITE},
    operation_id="checkpoint_rotate_token",
    summary="Issue a new QR link; posters with the old one stop working",
)
def checkpoint_rotate_token(request: AuthenticatedRequest, checkpoint_id: int) -> Checkpoint:
    checkpoint = checkpoint_of(request.user, checkpoint_id)
    return registry_services.checkpoint_rotate_token(actor=request.user, checkpoint=checkpoint)


@router.put(
    "/checkpoints/{checkpoint_id}/kit/{item}",
    response={200: KitCheckOut, **WRITE},
    operation_id="checkpoint_kit_check",
    summary="Check one item of the ten-ones kit",
)
def kit_check(
    request: AuthenticatedRequest, checkpoint_id: int, item: str, payload: KitCheckIn
) -> dict[str, Any]:
    checkpoint = checkpoint_of(request.user, checkpoint_id)
    check = registry_services.kit_check(
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
    checkpoint = checkpoint_of(request.user, checkpoint_id)
    if payload.user_ids is None:
        raise ValidationFailed.for_field("user_ids", _("This field is required."))
    users = staff_for_write(
        user=request.user, checkpoint=checkpoint, users=payload.user_ids, field="user_ids"
    )
    registry_services.checkpoint_staff_set(actor=request.user, checkpoint=checkpoint, users=users)
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
    checkpoint = checkpoint_of(request.user, checkpoint_id)
    return list(shift_list_for(user=request.user, checkpoint=checkpoint, day=day)[:MAX_PAGE_SIZE])


@router.post(
    "/checkpoints/{checkpoint_id}/shifts",
    response={201: ShiftOut, **WRITE},
    operation_id="shift_create",
    summary="Put a shift on the roster",
)
def shift_create(
    request: AuthenticatedRequest, checkpoint_id: int, payload: ShiftCreateIn
) -> Status[Shift]:
    checkpoint = checkpoint_of(request.user, checkpoint_id)
    shift = registry_services.shift_create(
        actor=request.user,
        checkpoint=checkpoint,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        staff=shift_staff_for_write(
            user=request.user, checkpoint=checkpoint, users=payload.staff_ids, field="staff_ids"
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
    shift = shift_get_for(user=request.user, shift_id=shift_id)
    return registry_services.shift_handover(actor=request.user, shift=shift, note=payload.note)


@router.get(
    "/shifts/{shift_id}/summary",
    response={200: ShiftSummaryOut, **READ},
    operation_id="shift_summary",
    summary="People in and out, fevers and alerts of a shift",
)
def shift_summary(request: AuthenticatedRequest, shift_id: int) -> dict[str, Any]:
    shift = shift_get_for(user=request.user, shift_id=shift_id)
    counts = shift_counts(shift=shift)
    return {
        "shift": shift,
        "figures": {**dataclasses.asdict(counts), "alerts_open": counts.alerts_open},
    }
