"""The supplies JSON API, mounted at /api/supplies/: thin routes over selectors and services."""

from __future__ import annotations

import datetime
from dataclasses import asdict
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from dualtrack.core.api import LIST, READ, WRITE, ProblemOut, problems
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.schemas import Id
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.supplies import selectors
from dualtrack.supplies.documents import receipt_pdf
from dualtrack.supplies.models import (
    Entry,
    Holder,
    Item,
    StocktakeAdjustment,
    SupplyRequest,
    Transfer,
)
from dualtrack.supplies.schemas import (
    AdjustmentDecideIn,
    AdjustmentIn,
    AdjustmentOut,
    AllocationConfirmIn,
    AllocationOut,
    ConsumptionIn,
    CoverOut,
    EntryOut,
    HolderCreateIn,
    HolderDetailOut,
    HolderOut,
    ItemCreateIn,
    ItemOut,
    ProposalLineOut,
    ReceiptIn,
    RequestCreateIn,
    RequestDecideIn,
    RequestOut,
    ReverseIn,
    TransferCreateIn,
    TransferOut,
    TransferReceiveIn,
)
from dualtrack.supplies.services import allocations, catalogue, exports, imports, ledger, requests
from dualtrack.supplies.services import transfers as transfer_services

router = Router(tags=["supplies"])


def _item(item_id: int, field: str = "item_id") -> Item:
    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        raise ValidationFailed.for_field(field, _("Unknown item."), code="item_unknown")
    return item


def _holder(request: AuthenticatedRequest, holder_id: int) -> Holder:
    return selectors.holder_get_for(user=request.user, holder_id=holder_id)


# --- Items and holders ---------------------------------------------------------------------------


@router.get(
    "/items",
    response={200: list[ItemOut], 401: ProblemOut},
    operation_id="supplies_item_list",
    summary="The catalogue of items",
)
def item_list(request: AuthenticatedRequest) -> Any:
    return selectors.item_list()


@router.post(
    "/items",
    response={201: ItemOut, **WRITE},
    operation_id="supplies_item_create",
    summary="Add an item (the supplies group)",
)
def item_create(request: AuthenticatedRequest, payload: ItemCreateIn) -> Status[Item]:
    return Status(201, catalogue.item_create(actor=request.user, **payload.dict()))


@router.get(
    "/holders",
    response={200: list[HolderOut], **LIST},
    operation_id="supplies_holder_list",
    summary="Holders the caller can see",
)
def holder_list(request: AuthenticatedRequest, kind: str = "", q: str = "") -> Any:
    return selectors.holder_list_for(user=request.user, kind=kind, q=q)[:500]


@router.post(
    "/holders",
    response={201: HolderOut, **WRITE},
    operation_id="supplies_holder_create",
    summary="Register a holder (the supplies group)",
)
def holder_create(request: AuthenticatedRequest, payload: HolderCreateIn) -> Status[Holder]:
    ties = selectors.holder_ties_get_for(
        user=request.user,
        area_id=payload.area_id,
        org_unit_id=payload.org_unit_id,
        checkpoint_id=payload.checkpoint_id,
        enterprise_id=payload.enterprise_id,
    )
    holder = catalogue.holder_create(
        actor=request.user,
        kind=payload.kind,
        name=payload.name,
        area=ties.area,
        org_unit=ties.org_unit,
        checkpoint=ties.checkpoint,
        enterprise=ties.enterprise,
        front_line=payload.front_line,
    )
    return Status(201, holder)


@router.get(
    "/holders/{holder_id}",
    response={200: HolderDetailOut, **READ},
    operation_id="supplies_holder_get",
    summary="A holder, its stock and days of cover",
)
def holder_get(request: AuthenticatedRequest, holder_id: int) -> dict[str, Any]:
    holder = _holder(request, holder_id)
    stock = selectors.balances_for(user=request.user, holder=holder)
    return {
        **HolderOut.from_orm(holder).model_dump(),
        "stock": [{**asdict(c), "is_low": c.is_low} for c in stock],
    }


@router.get(
    "/holders/{holder_id}/entries",
    response={200: list[EntryOut], **LIST},
    operation_id="supplies_entry_list",
    summary="A holder's ledger entries, newest first (keyset: before_id)",
)
def entry_list(
    request: AuthenticatedRequest,
    holder_id: int,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    item_id: Id | None = None,
    before_id: Id | None = None,
    limit: int = 50,
) -> list[Entry]:
    holder = _holder(request, holder_id)
    return selectors.entries_for(
        user=request.user,
        holder=holder,
        since=since,
        until=until,
        item_id=item_id,
        before_id=before_id,
        limit=limit,
    )


@router.post(
    "/holders/{holder_id}/receipts",
    response={201: EntryOut, **WRITE},
    operation_id="supplies_receipt_create",
    summary="Record goods received: purchase, donation or allocation from above",
)
def receipt_create(
    request: AuthenticatedRequest, holder_id: int, payload: ReceiptIn
) -> Status[Entry]:
    holder = _holder(request, holder_id)
    entry = ledger.receipt_record(
        actor=request.user,
        holder=holder,
        item=_item(payload.item_id),
        kind=payload.kind,
        quantity=payload.quantity,
        counterparty=payload.counterparty,
        occurred_on=payload.occurred_on,
        voucher_no=payload.voucher_no,
    )
    return Status(201, entry)


@router.post(
    "/holders/{holder_id}/consumption",
    response={201: EntryOut, **WRITE},
    operation_id="supplies_consumption_create",
    summary="Record goods used; refused beyond the balance",
)
def consumption_create(
    request: AuthenticatedRequest, holder_id: int, payload: ConsumptionIn
) -> Status[Entry]:
    holder = _holder(request, holder_id)
    entry = ledger.consumption_record(
        actor=request.user,
        holder=holder,
        item=_item(payload.item_id),
        quantity=payload.quantity,
        purpose=payload.purpose,
        occurred_on=payload.occurred_on,
        voucher_no=payload.voucher_no,
    )
    return Status(201, entry)


@router.post(
    "/holders/{holder_id}/adjustments",
    response={201: AdjustmentOut, **WRITE},
    operation_id="supplies_adjustment_propose",
    summary="Propose a stocktake adjustment (the count differs from the books)",
)
def adjustment_propose(
    request: AuthenticatedRequest, holder_id: int, payload: AdjustmentIn
) -> Status[StocktakeAdjustment]:
    holder = _holder(request, holder_id)
    adjustment = ledger.adjustment_propose(
        actor=request.user,
        holder=holder,
        item=_item(payload.item_id),
        counted=payload.counted,
        reason=payload.reason,
    )
    return Status(201, adjustment)


@router.get(
    "/adjustments",
    response={200: list[AdjustmentOut], **LIST},
    operation_id="supplies_adjustment_list",
    summary="Stocktake adjustments of holders the caller sees, newest first",
)
def adjustment_list(request: AuthenticatedRequest, status: str = "") -> Any:
    return selectors.adjustment_list_for(user=request.user, status=status)


@router.post(
    "/adjustments/{adjustment_id}/decide",
    response={200: AdjustmentOut, **WRITE},
    operation_id="supplies_adjustment_decide",
    summary="Approve (post the adjusting entry) or refuse a stocktake adjustment",
)
def adjustment_decide(
    request: AuthenticatedRequest, adjustment_id: int, payload: AdjustmentDecideIn
) -> StocktakeAdjustment:
    adjustment = selectors.adjustment_get_for(user=request.user, adjustment_id=adjustment_id)
    return ledger.adjustment_decide(
        actor=request.user, adjustment=adjustment, approve=payload.approve, note=payload.note
    )


@router.post(
    "/entries/{entry_id}/reverse",
    response={201: EntryOut, **WRITE},
    operation_id="supplies_entry_reverse",
    summary="Correct an entry by a reversing entry",
)
def entry_reverse(request: AuthenticatedRequest, entry_id: int, payload: ReverseIn) -> Any:
    entry = selectors.entry_get_for(user=request.user, entry_id=entry_id)
    return Status(201, ledger.entry_reverse(actor=request.user, entry=entry, reason=payload.reason))


@router.post(
    "/holders/{holder_id}/ledger.xlsx",
    response={**ACCEPTED, **LIST},
    operation_id="supplies_ledger_export",
    summary="Export the holder's ledger (台账) for a period as .xlsx, in the background; since "
    "defaults to the first of the month, until to today",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`); the finished job's "
    "`result_url` is the workbook.",
)
def ledger_export(
    request: AuthenticatedRequest,
    response: HttpResponse,
    holder_id: int,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Status[dict[str, Any]]:
    holder = _holder(request, holder_id)
    until = until or timezone.localdate()
    since = since or until.replace(day=1)
    job = exports.ledger_export_start(actor=request.user, holder=holder, since=since, until=until)
    return job_accepted(job, response)


@router.post(
    "/holders/{holder_id}/opening-stock",
    response={**ACCEPTED, **WRITE},
    operation_id="supplies_opening_stock_import",
    summary="Import an opening stocktake (.xlsx: 物资名称, 数量) in the background; all rows or "
    "none",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`); the finished job lists "
    "every bad row in `problems`, and nothing is imported if there is one.",
)
def opening_stock_import(
    request: AuthenticatedRequest,
    response: HttpResponse,
    holder_id: int,
    file: File[UploadedFile | None] = None,
    occurred_on: Form[datetime.date | None] = None,
) -> Status[dict[str, Any]]:
    # The file is checked after the holder, so that an unknown holder is a 404 whatever is sent.
    holder = _holder(request, holder_id)
    if file is None:
        raise ValidationFailed.for_field("file", _("Choose the workbook to upload."))
    job = imports.opening_stock_import_start(
        actor=request.user,
        holder=holder,
        file=file,
        filename=file.name or "",
        occurred_on=occurred_on,
    )
    return job_accepted(job, response)


@router.get(
    "/low-stock",
    response={200: list[CoverOut], **LIST},
    operation_id="supplies_low_stock",
    summary="Holder×items below LOW_STOCK_DAYS days of cover (derived at read time)",
)
def low_stock(request: AuthenticatedRequest, holder_id: Id | None = None) -> Any:
    holder = _holder(request, holder_id) if holder_id is not None else None
    rows = selectors.low_stock_for(user=request.user, holder=holder)
    return [{**asdict(c), "is_low": True} for c in rows]


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
    holder = _holder(request, holder_id) if holder_id is not None else None
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
    source = _holder(request, payload.source_id)
    destination = _holder(request, payload.destination_id)
    lines = [
        transfer_services.LineIn(_item(line.item_id, f"lines.{i}.item_id"), line.quantity)
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
    response={200: None, **READ},
    operation_id="supplies_transfer_receipt",
    summary="The hand-over receipt (物资交接单) as PDF",
)
def transfer_receipt(request: AuthenticatedRequest, transfer_id: int) -> HttpResponse:
    transfer = selectors.transfer_get_for(user=request.user, transfer_id=transfer_id)
    response = HttpResponse(receipt_pdf(transfer), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{transfer.voucher_no}.pdf"'
    return response


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
    holder = _holder(request, payload.holder_id)
    lines = [
        transfer_services.LineIn(_item(line.item_id, f"lines.{i}.item_id"), line.quantity)
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
