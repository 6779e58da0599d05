"""The supplies API: the catalogue, holders, their ledgers, stocktakes and low stock."""

from __future__ import annotations

import datetime
from dataclasses import asdict
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from dualtrack.core.api import LIST, READ, WRITE, ProblemOut
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.schemas import Id
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.supplies import figures, selectors
from dualtrack.supplies.api.common import holder_in_sight, item_named
from dualtrack.supplies.models import (
    Entry,
    Holder,
    Item,
    StocktakeAdjustment,
)
from dualtrack.supplies.schemas import (
    AdjustmentDecideIn,
    AdjustmentIn,
    AdjustmentOut,
    ConsumptionIn,
    CoverOut,
    EntryOut,
    HolderCreateIn,
    HolderDetailOut,
    HolderOut,
    ItemCreateIn,
    ItemOut,
    ReceiptIn,
    ReverseIn,
)
from dualtrack.supplies.services import catalogue, exports, imports, ledger, stocktakes

router = Router()


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
    holder = holder_in_sight(request, holder_id)
    stock = figures.balances_for(user=request.user, holder=holder)
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
    holder = holder_in_sight(request, holder_id)
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
    holder = holder_in_sight(request, holder_id)
    entry = ledger.receipt_record(
        actor=request.user,
        holder=holder,
        item=item_named(payload.item_id),
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
    holder = holder_in_sight(request, holder_id)
    entry = ledger.consumption_record(
        actor=request.user,
        holder=holder,
        item=item_named(payload.item_id),
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
    holder = holder_in_sight(request, holder_id)
    adjustment = stocktakes.adjustment_propose(
        actor=request.user,
        holder=holder,
        item=item_named(payload.item_id),
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
    return stocktakes.adjustment_decide(
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
    holder = holder_in_sight(request, holder_id)
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
    holder = holder_in_sight(request, holder_id)
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
    holder = holder_in_sight(request, holder_id) if holder_id is not None else None
    rows = figures.low_stock_for(user=request.user, holder=holder)
    return [{**asdict(c), "is_low": True} for c in rows]
