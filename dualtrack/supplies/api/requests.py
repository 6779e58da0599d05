"""The supplies API: requests for supplies and the allocation from the district store."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Status

from dualtrack.core.api import LIST, WRITE, problems
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.supplies import selectors
from dualtrack.supplies.api.common import holder_in_sight, item_named
from dualtrack.supplies.models import (
    SupplyRequest,
)
from dualtrack.supplies.schemas import (
    AllocationConfirmIn,
    AllocationOut,
    ProposalLineOut,
    RequestCreateIn,
    RequestDecideIn,
    RequestOut,
)
from dualtrack.supplies.services import allocations, requests
from dualtrack.supplies.services import transfers as transfer_services

router = Router()

# --- Requests and allocation ----------------------------------------------------------------------


def _request_out(req: SupplyRequest) -> dict[str, Any]:
    fields = [
        "id",
        "holder_id",
        "status",
        "justification",
        "staff",
        "shifts",
        "days",
        "person_shifts",
        "created_by_id",
        "created_at",
        "decided_by_id",
        "decided_at",
        "decision_reason",
    ]
    return {
        **{f: getattr(req, f) for f in fields},
        "holder_name": req.holder.name,
        "lines": [
            {
                "id": line.pk,
                "item_id": line.item_id,
                "item_name": line.item.name,
                "quantity_requested": line.quantity_requested,
                "quantity_approved": line.quantity_approved,
                "quantity_allocated": line.quantity_allocated,
            }
            for line in req.lines.all()
        ],
    }


@router.get(
    "/requests",
    response={200: list[RequestOut], **LIST},
    operation_id="supplies_request_list",
    summary="Requests of holders the caller sees, newest first",
)
def request_list(request: AuthenticatedRequest, status: str = "") -> list[dict[str, Any]]:
    return [_request_out(r) for r in selectors.request_list_for(user=request.user, status=status)]


@router.post(
    "/requests",
    response={201: RequestOut, **WRITE},
    operation_id="supplies_request_create",
    summary="Ask for items, with a justification",
)
def request_create(request: AuthenticatedRequest, payload: RequestCreateIn) -> Any:
    holder = holder_in_sight(request, payload.holder_id)
    lines = [
        transfer_services.LineIn(item_named(line.item_id, f"lines.{i}.item_id"), line.quantity)
        for i, line in enumerate(payload.lines)
    ]
    req = requests.request_submit(
        actor=request.user,
        holder=holder,
        lines=lines,
        justification=payload.justification,
        staff=payload.staff,
        shifts=payload.shifts,
        days=payload.days,
    )
    return Status(201, _request_out(req))


@router.post(
    "/requests/{request_id}/decide",
    response={200: RequestOut, **WRITE},
    operation_id="supplies_request_decide",
    summary="Approve, trim or refuse a request (the supplies group)",
)
def request_decide(
    request: AuthenticatedRequest, request_id: int, payload: RequestDecideIn
) -> dict[str, Any]:
    req = selectors.request_get_for(user=request.user, request_id=request_id)
    decided = requests.request_decide(
        actor=request.user,
        request=req,
        approve=payload.approve,
        quantities={line.item_id: line.quantity for line in payload.lines},
        reason=payload.reason,
    )
    return _request_out(selectors.request_get_for(user=request.user, request_id=decided.pk))


@router.get(
    "/allocation/proposal",
    response={200: list[ProposalLineOut], **problems(401, 403, 409)},
    operation_id="supplies_allocation_propose",
    summary="Proposed allocation from the district store: front line first, then by need",
)
def allocation_proposal(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    return [
        {
            "request_line_id": p.need.line_id,
            "holder_id": p.need.holder_id,
            "holder_name": p.need.holder_name,
            "tier": p.need.tier,
            "item_id": p.need.item_id,
            "item_name": p.need.item_name,
            "need": p.need.quantity,
            "quantity": p.quantity,
            "reason": p.reason,
            "explanation": allocations.explain(p),
        }
        for p in allocations.allocation_propose(actor=request.user)
    ]


@router.post(
    "/allocation/confirm",
    response={201: AllocationOut, **WRITE},
    operation_id="supplies_allocation_confirm",
    summary="Confirm the (edited) allocation into transfers, in one transaction",
)
def allocation_confirm(request: AuthenticatedRequest, payload: AllocationConfirmIn) -> Any:
    lines, top_ups = [], []
    for i, line in enumerate(payload.lines):
        if line.request_line_id is not None:
            lines.append((line.request_line_id, line.quantity))
        elif line.holder_id is not None and line.item_id is not None:
            top_ups.append((line.holder_id, line.item_id, line.quantity))
        else:
            raise ValidationFailed.for_field(
                f"lines.{i}",
                _("Name a request line, or a holder and an item to top up."),
                code="line_unnamed",
            )
    allocation = allocations.allocation_confirm(
        actor=request.user, lines=lines, top_ups=top_ups, note=payload.note
    )
    return Status(
        201,
        {
            "id": allocation.pk,
            "confirmed_at": allocation.confirmed_at,
            "transfer_ids": list(allocation.transfers.values_list("id", flat=True)),
        },
    )
