"""The subsidies' JSON API, mounted at /api/subsidies/: claims (the enterprise answers its
offers, the policy group decides), payment batches, and the public calculator. Thin routes over
the selectors and services; errors are problem+json.

The calculator is open without an account, rate-limited per client address
(``subsidies.throttle``, shared with its page) and left out of the OpenAPI document like the
other public operations (listed in dualtrack/core/tests/test_api_problems.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router

from dualtrack.core.api import READ, WRITE, problems, too_many_requests
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.schemas import AfterId
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.subsidies import selectors, throttle
from dualtrack.subsidies.models import Claim, PaymentBatch
from dualtrack.subsidies.rules.base import RuleError
from dualtrack.subsidies.rules.dispatch import compute
from dualtrack.subsidies.schemas import (
    ApproveIn,
    BatchOut,
    CalculatorIn,
    CalculatorOut,
    ClaimDetailOut,
    ClaimOut,
    ClaimReasonIn,
    ConfirmIn,
    ParameterIn,
    ParameterOut,
    VoucherIn,
)
from dualtrack.subsidies.services import claims, parameters, payments, review

router = Router(tags=["subsidies"])


@router.get(
    "/claims",
    response={200: list[ClaimOut], **READ},
    operation_id="subsidies_claim_list",
    summary="Claims in sight, newest first, one keyset page (after: the last id seen)",
)
def claim_list(
    request: AuthenticatedRequest, clause: str = "", status: str = "", after: AfterId = 0
) -> list[Claim]:
    return selectors.claim_list_for(
        user=request.user, clause=clause[:12], status=status[:10], after=after
    )


@router.get(
    "/claims/{claim_id}",
    response={200: ClaimDetailOut, **READ},
    operation_id="subsidies_claim_get",
    summary="A claim with the explanation of its amount (Chinese and English)",
)
def claim_get(request: AuthenticatedRequest, claim_id: int) -> Claim:
    return selectors.claim_get_for(user=request.user, claim_id=claim_id)


@router.post(
    "/claims/{claim_id}/confirm",
    response={200: ClaimOut, **WRITE},
    operation_id="subsidies_claim_confirm",
    summary="The enterprise confirms its offer: bank account and willingness",
)
def claim_confirm(request: AuthenticatedRequest, claim_id: int, payload: ConfirmIn) -> Claim:
    claim = selectors.claim_get_for(user=request.user, claim_id=claim_id)
    return claims.offer_confirm(
        actor=request.user,
        claim=claim,
        bank_name=payload.bank_name,
        bank_account=payload.bank_account,
    )


@router.post(
    "/claims/{claim_id}/approve",
    response={200: ClaimOut, **WRITE},
    operation_id="subsidies_claim_approve",
    summary="Approve at the computed amount, or another with a reason (the policy group)",
)
def claim_approve(request: AuthenticatedRequest, claim_id: int, payload: ApproveIn) -> Claim:
    claim = selectors.claim_get_for(user=request.user, claim_id=claim_id)
    return review.claim_approve(
        actor=request.user, claim=claim, amount=payload.amount, reason=payload.reason
    )


@router.post(
    "/claims/{claim_id}/refuse",
    response={200: ClaimOut, **WRITE},
    operation_id="subsidies_claim_refuse",
    summary="Refuse with a reason (the policy group)",
)
def claim_refuse(request: AuthenticatedRequest, claim_id: int, payload: ClaimReasonIn) -> Claim:
    claim = selectors.claim_get_for(user=request.user, claim_id=claim_id)
    return review.claim_refuse(actor=request.user, claim=claim, reason=payload.reason)


@router.post(
    "/parameters",
    response={200: ParameterOut, **WRITE},
    operation_id="subsidies_parameter_record",
    summary="Record a parameter's new version, or a correction (the same first day; the policy "
    "group)",
)
def parameter_record(request: AuthenticatedRequest, payload: ParameterIn) -> Any:
    return parameters.parameter_record(
        actor=request.user,
        clause=payload.clause,
        name=payload.name.strip(),
        value=payload.value,
        effective_from=payload.effective_from,
        effective_to=payload.effective_to,
        scope=payload.scope.strip(),
        reason=payload.reason,
    )


@router.post(
    "/batches/{batch_id}/paid",
    response={200: BatchOut, **WRITE},
    operation_id="subsidies_batch_paid",
    summary="Mark a payment batch paid with the bank's voucher number (paid once)",
)
def batch_paid(request: AuthenticatedRequest, batch_id: int, payload: VoucherIn) -> PaymentBatch:
    batch = selectors.batch_get_for(user=request.user, batch_id=batch_id)
    return payments.batch_mark_paid(actor=request.user, batch=batch, voucher_no=payload.voucher_no)


def _too_many(request: HttpRequest) -> HttpResponse:
    return too_many_requests(request, _("Please wait a minute and try again."))


@router.post(
    "/public/calculator",
    auth=None,
    include_in_schema=False,
    response={200: CalculatorOut, **problems(422, 429)},
    operation_id="subsidies_public_calculator",
    summary="What a clause gives on the caller's own figures, with the explanation (no account; "
    "rate-limited)",
)
def public_calculator(request: HttpRequest, payload: CalculatorIn) -> Any:
    if not throttle.allow(request):
        return _too_many(request)
    on = payload.on or timezone.localdate()
    try:
        result = compute(payload.clause, payload.inputs, selectors.parameters(), on)
    except RuleError as e:
        raise ValidationFailed.for_field(
            e.field, e.text(get_language() or "zh"), code=e.code
        ) from e
    except (KeyError, TypeError, ValueError) as e:
        raise ValidationFailed(_("The inputs do not fit the clause."), code="bad_inputs") from e
    return {
        "clause": result.clause,
        "amount": result.amount,
        "computed": result.computed,
        "explanation": result.explanation.as_dict(),
    }
