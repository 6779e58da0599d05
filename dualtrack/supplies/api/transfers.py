"""The supplies API: transfers between holders, their receipt and hand-over PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Router, Status

from dualtrack.core.api import LIST, READ, WRITE
from dualtrack.core.media_types import PDF, file_answer
from dualtrack.core.schemas import Id
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.supplies import selectors
from dualtrack.supplies.api.common import holder_in_sight, item_named
from dualtrack.supplies.documents import receipt_pdf
from dualtrack.supplies.models import (
    Transfer,
)
from dualtrack.supplies.schemas import (
    TransferCreateIn,
    TransferOut,
    TransferReceiveIn,
)
from dualtrack.supplies.services import transfers as transfer_services

router = Router()

# --- Transfers ----------------------------------------------------------------------------------


def _transfer_out(transfer: Transfer) -> dict[str, Any]:
    lines = [
        {
            "item_id": line.item_id,
            "item_name": line.item.name,
            "quantity_sent": line.quantity_sent,
            "quantity_received": line.quantity_received,
            "shortfall_reason": line.shortfall_reason,
        }
        for line in sorted(transfer.lines.all(), key=lambda line: line.item.name)
    ]
    fields = [
        "id",
        "voucher_no",
        "source_id",
        "destination_id",
        "status",
        "sent_on",
        "sent_at",
        "sent_by_id",
        "received_at",
        "received_by_id",
        "allocation_id",
        "note",
    ]
    return {**{f: getattr(transfer, f) for f in fields}, "lines": lines}


@router.get(
    "/transfers",
    response={200: list[TransferOut], **LIST},
    operation_id="supplies_transfer_list",
    summary="Transfers from or to holders the caller sees",
)
def transfer_list(
    request: AuthenticatedRequest, holder_id: Id | None = None, status: str = ""
) -> list[dict[str, Any]]:
    holder = holder_in_sight(request, holder_id) if holder_id is not None else None
    return [
        _transfer_out(t)
        for t in selectors.transfer_list_for(user=request.user, holder=holder, status=status)
    ]


@router.post(
    "/transfers",
    response={201: TransferOut, **WRITE},
    operation_id="supplies_transfer_create",
    summary="Send goods to another holder",
)
def transfer_create(request: AuthenticatedRequest, payload: TransferCreateIn) -> Any:
    source = holder_in_sight(request, payload.source_id)
    destination = holder_in_sight(request, payload.destination_id)
    lines = [
        transfer_services.LineIn(item_named(line.item_id, f"lines.{i}.item_id"), line.quantity)
        for i, line in enumerate(payload.lines)
    ]
    transfer = transfer_services.transfer_send(
        actor=request.user, source=source, destination=destination, lines=lines, note=payload.note
    )
    return Status(201, _transfer_out(transfer))


@router.get(
    "/transfers/{transfer_id}",
    response={200: TransferOut, **READ},
    operation_id="supplies_transfer_get",
    summary="One transfer",
)
def transfer_get(request: AuthenticatedRequest, transfer_id: int) -> dict[str, Any]:
    return _transfer_out(selectors.transfer_get_for(user=request.user, transfer_id=transfer_id))


@router.post(
    "/transfers/{transfer_id}/receive",
    response={200: TransferOut, **WRITE},
    operation_id="supplies_transfer_receive",
    summary="The receiver confirms what arrived; a shortfall needs a reason",
)
def transfer_receive(
    request: AuthenticatedRequest, transfer_id: int, payload: TransferReceiveIn
) -> dict[str, Any]:
    transfer = selectors.transfer_get_for(user=request.user, transfer_id=transfer_id)
    received = {line.item_id: line.quantity for line in payload.lines}
    reasons = {line.item_id: line.reason for line in payload.lines}
    done = transfer_services.transfer_receive(
        actor=request.user, transfer=transfer, received=received, reasons=reasons
    )
    return _transfer_out(done)


@router.get(
    "/transfers/{transfer_id}/receipt.pdf",
    openapi_extra=file_answer(PDF),
    response={200: None, **READ},
    operation_id="supplies_transfer_receipt",
    summary="The hand-over receipt (物资交接单) as PDF",
)
def transfer_receipt(request: AuthenticatedRequest, transfer_id: int) -> HttpResponse:
    transfer = selectors.transfer_get_for(user=request.user, transfer_id=transfer_id)
    response = HttpResponse(receipt_pdf(transfer), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="receipt-{transfer.voucher_no}.pdf"'
    return response
