"""The subsidies' ninja schemas; input schemas derive from core.schemas.InputSchema."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from dualtrack.core.schemas import InputSchema


class ClaimOut(Schema):
    id: int
    clause: str
    origin: str
    status: str
    enterprise_id: int | None
    introducer_id: int | None
    payee_name: str
    relevant_date: datetime.date
    computed_amount: Decimal
    approved_amount: Decimal | None
    override_reason: str
    refusal_reason: str


class ClaimDetailOut(ClaimOut):
    explanation: dict[str, Any]
    params_known_at: datetime.datetime


class ConfirmIn(InputSchema):
    bank_name: str = Field(max_length=100)
    bank_account: str = Field(max_length=40)


class ApproveIn(InputSchema):
    amount: Decimal | None = None
    reason: str = Field("", max_length=300)


class ClaimReasonIn(InputSchema):
    reason: str = Field(max_length=300)


class VoucherIn(InputSchema):
    voucher_no: str = Field(max_length=60)


class BatchOut(Schema):
    id: int
    number: str
    status: str
    total: Decimal
    voucher_no: str | None


class CalculatorIn(InputSchema):
    clause: str = Field(max_length=12)
    on: datetime.date | None = None
    inputs: dict[str, Any]


class CalculatorOut(Schema):
    clause: str
    amount: Decimal
    computed: Decimal
    explanation: dict[str, Any]


class ParameterIn(InputSchema):
    clause: str = Field(max_length=12)
    name: str = Field(max_length=30)
    scope: str = Field("", max_length=20)
    value: Decimal
    effective_from: datetime.date
    effective_to: datetime.date | None = None
    reason: str = Field(max_length=300)


class ParameterOut(Schema):
    id: int
    clause: str
    name: str
    scope: str
    value: Decimal
    effective_from: datetime.date
    effective_to: datetime.date | None
    recorded_at: datetime.datetime
    reason: str
