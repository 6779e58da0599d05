"""Schemas of the supplies API."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from dualtrack.core.schemas import InputSchema


class ItemOut(Schema):
    id: int
    name: str
    unit: str
    specification: str
    category: str


class ItemCreateIn(InputSchema):
    name: str
    unit: str
    category: str
    specification: str = ""


class HolderOut(Schema):
    id: int
    kind: str
    name: str
    area_id: int
    checkpoint_id: int | None
    enterprise_id: int | None
    front_line: bool
    tier: int = Field(description="1 front line (served first), 2, 3; 0 the district store.")


class HolderCreateIn(InputSchema):
    kind: str
    name: str = ""
    area_id: int | None = None
    checkpoint_id: int | None = None
    enterprise_id: int | None = None
    org_unit_id: int | None = None
    front_line: bool = False


class CoverOut(Schema):
    holder_id: int
    holder_name: str
    item_id: int
    item_name: str
    unit: str
    balance: int
    consumed_7d: int = Field(description="Used over the last 7 days: consumed or sent on.")
    days: float | None = Field(
        description="Days of cover: 0 on an empty shelf; null when stock was not used."
    )
    is_low: bool


class HolderDetailOut(HolderOut):
    stock: list[CoverOut]


class EntryOut(Schema):
    id: int
    holder_id: int
    item_id: int
    kind: str
    quantity: int = Field(description="Signed: in > 0, out < 0.")
    balance_after: int
    occurred_on: datetime.date
    voucher_no: str
    counterparty: str
    handler_id: int | None
    approver_id: int | None
    reason: str
    transfer_id: int | None
    reverses_id: int | None


class ReceiptIn(InputSchema):
    item_id: int
    kind: str = Field(description="purchase, donation or allocation (from above).")
    quantity: int
    counterparty: str = Field(description="Supplier, donor or allocating authority.")
    occurred_on: datetime.date | None = None
    voucher_no: str = ""


class ConsumptionIn(InputSchema):
    item_id: int
    quantity: int
    purpose: str = ""
    occurred_on: datetime.date | None = None
    voucher_no: str = ""


class AdjustmentIn(InputSchema):
    item_id: int
    counted: int
    reason: str


class AdjustmentOut(Schema):
    id: int
    holder_id: int
    item_id: int
    counted: int
    book: int = Field(description="The book balance when the count was proposed.")
    difference: int
    reason: str
    status: str
    proposed_by_id: int
    proposed_at: datetime.datetime
    decided_by_id: int | None
    decided_at: datetime.datetime | None
    decision_note: str
    entry_id: int | None


class AdjustmentDecideIn(InputSchema):
    approve: bool
    note: str = ""


class ReverseIn(InputSchema):
    reason: str


class LineIn(InputSchema):
    item_id: int
    quantity: int


class TransferCreateIn(InputSchema):
    source_id: int
    destination_id: int
    lines: list[LineIn]
    note: str = ""


class TransferLineOut(Schema):
    item_id: int
    item_name: str
    quantity_sent: int
    quantity_received: int | None
    shortfall_reason: str


class TransferOut(Schema):
    id: int
    voucher_no: str
    source_id: int
    destination_id: int
    status: str
    sent_on: datetime.date
    sent_at: datetime.datetime
    sent_by_id: int | None
    received_at: datetime.datetime | None
    received_by_id: int | None
    allocation_id: int | None
    note: str
    lines: list[TransferLineOut]


class ReceivedLineIn(InputSchema):
    item_id: int
    quantity: int
    reason: str = ""


class TransferReceiveIn(InputSchema):
    lines: list[ReceivedLineIn] = Field(
        default=[], description="What arrived per item; an item left out arrived in full."
    )


class RequestLineOut(Schema):
    id: int
    item_id: int
    item_name: str
    quantity_requested: int
    quantity_approved: int | None
    quantity_allocated: int


class RequestOut(Schema):
    id: int
    holder_id: int
    holder_name: str
    status: str
    justification: str
    staff: int | None
    shifts: int | None
    days: int | None
    person_shifts: int | None = Field(description="staff × shifts × days.")
    created_by_id: int
    created_at: datetime.datetime
    decided_by_id: int | None
    decided_at: datetime.datetime | None
    decision_reason: str
    lines: list[RequestLineOut]


class RequestCreateIn(InputSchema):
    holder_id: int
    justification: str
    lines: list[LineIn]
    staff: int | None = None
    shifts: int | None = None
    days: int | None = None


class ApprovedLineIn(InputSchema):
    item_id: int
    quantity: int


class RequestDecideIn(InputSchema):
    approve: bool
    lines: list[ApprovedLineIn] = Field(
        default=[], description="Trimmed quantities per item; an item left out is approved whole."
    )
    reason: str = ""


class ProposalLineOut(Schema):
    request_line_id: int | None = Field(
        description="The request line; null for a top-up of a holder below its days of cover."
    )
    holder_id: int
    holder_name: str
    tier: int
    item_id: int
    item_name: str
    need: int
    quantity: int
    reason: str = Field(description="full, share or none.")
    explanation: str


class AllocationLineIn(InputSchema):
    request_line_id: int | None = None
    holder_id: int | None = Field(None, description="With item_id: a top-up, not a request.")
    item_id: int | None = None
    quantity: int


class AllocationConfirmIn(InputSchema):
    lines: list[AllocationLineIn]
    note: str = ""


class AllocationOut(Schema):
    id: int
    confirmed_at: datetime.datetime
    transfer_ids: list[int]
