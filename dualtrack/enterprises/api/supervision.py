"""The routes of supervision: sample draws, inspections, rectifications."""

from __future__ import annotations

from ninja import Router, Status

from dualtrack.core.api import WRITE
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.enterprises import selectors
from dualtrack.enterprises.models import (
    Inspection,
    Rectification,
    SampleDraw,
)
from dualtrack.enterprises.schemas import (
    CloseIn,
    DrawIn,
    DrawOut,
    InspectionIn,
    InspectionOut,
    RectificationOut,
)
from dualtrack.enterprises.services import (
    supervision,
)

router = Router()


@router.post(
    "/draws",
    response={201: DrawOut, **WRITE},
    operation_id="sample_draw",
    summary="Draw a seeded, stratified random sample of resumed enterprises",
)
def draw_create(request: AuthenticatedRequest, payload: DrawIn) -> Status[SampleDraw]:
    draw = supervision.sample_draw(
        actor=request.user,
        fraction=payload.fraction,
        seed=payload.seed,
        town_ids=payload.town_ids or None,
    )
    return Status(201, draw)


@router.post(
    "/enterprises/{enterprise_id}/inspections",
    response={201: InspectionOut, **WRITE},
    operation_id="inspection_record",
    summary="Record an inspection, with rectifications and their deadlines",
)
def inspection_create(
    request: AuthenticatedRequest, enterprise_id: int, payload: InspectionIn
) -> Status[Inspection]:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    draw = (
        selectors.draw_get_for(user=request.user, draw_id=payload.draw_id)
        if payload.draw_id
        else None
    )
    inspection = supervision.inspection_record(
        actor=request.user,
        enterprise=enterprise,
        inspected_on=payload.inspected_on,
        checklist=payload.checklist,
        findings=payload.findings,
        rectifications=[(r.requirement, r.deadline) for r in payload.rectifications],
        draw=draw,
    )
    return Status(201, inspection)


@router.post(
    "/rectifications/{rectification_id}/close",
    response={200: RectificationOut, **WRITE},
    operation_id="rectification_close",
    summary="Close a rectification after re-inspection",
)
def rectification_close(
    request: AuthenticatedRequest, rectification_id: int, payload: CloseIn
) -> Rectification:
    item = selectors.rectification_get_for(user=request.user, rectification_id=rectification_id)
    return supervision.rectification_close(
        actor=request.user, rectification=item, note=payload.note, closed_on=payload.closed_on
    )
