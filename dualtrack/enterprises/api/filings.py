"""The routes of the phase, the sign-ups and the resumption filings."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import File, Router, Status, UploadedFile

from dualtrack.core.api import READ, WRITE, ProblemOut
from dualtrack.core.errors import NotFound
from dualtrack.core.media_types import PDF, file_answer
from dualtrack.core.selectors import MAX_PAGE_SIZE
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.enterprises import selectors
from dualtrack.enterprises.documents import notice_pdf
from dualtrack.enterprises.models import (
    DistrictPhase,
    EnterpriseSignup,
    ResumptionFiling,
)
from dualtrack.enterprises.schemas import (
    FilingIn,
    FilingOut,
    PhaseIn,
    PhaseOut,
    ReturnIn,
    SignupDecisionIn,
    SignupOut,
)
from dualtrack.enterprises.services import (
    filings,
    signups,
)

router = Router()


@router.get(
    "/phase",
    response={200: PhaseOut, 401: ProblemOut},
    operation_id="phase_get",
    summary="The district's resumption phase in force today",
)
def phase_get(request: AuthenticatedRequest) -> DistrictPhase:
    return selectors.current_phase()


@router.post(
    "/phase",
    response={201: PhaseOut, **WRITE},
    operation_id="phase_set",
    summary="Set the district's phase from a date on",
)
def phase_set(request: AuthenticatedRequest, payload: PhaseIn) -> Status[DistrictPhase]:
    row = filings.phase_set(
        actor=request.user,
        phase=payload.phase,
        effective_from=payload.effective_from,
        note=payload.note,
    )
    return Status(201, row)


@router.get(
    "/signups",
    response={200: list[SignupOut], 401: ProblemOut},
    operation_id="signup_list",
    summary="Sign-ups awaiting the caller's towns",
)
def signup_list(request: AuthenticatedRequest) -> list[EnterpriseSignup]:
    return list(selectors.signup_list_for(user=request.user)[:MAX_PAGE_SIZE])


@router.post(
    "/signups/{signup_id}/decision",
    response={200: SignupOut, **WRITE},
    operation_id="signup_decide",
    summary="Approve or reject a sign-up",
)
def signup_decide(
    request: AuthenticatedRequest, signup_id: int, payload: SignupDecisionIn
) -> EnterpriseSignup:
    signup = selectors.signup_get_for(user=request.user, signup_id=signup_id)
    return signups.signup_decide(
        actor=request.user, signup=signup, approve=payload.approve, reason=payload.reason
    )


# --- Filings -----------------------------------------------------------------------------------


@router.get(
    "/filings",
    response={200: list[FilingOut], 401: ProblemOut},
    operation_id="filing_list",
    summary="Filings in scope, newest first (?queue=true: those awaiting the caller)",
)
def filing_list(
    request: AuthenticatedRequest, status: str = "", queue: bool = False
) -> list[ResumptionFiling]:
    if queue:
        return list(selectors.filing_queue_for(user=request.user)[:MAX_PAGE_SIZE])
    return list(selectors.filing_list_for(user=request.user, status=status)[:MAX_PAGE_SIZE])


@router.post(
    "/enterprises/{enterprise_id}/filings",
    response={201: FilingOut, **WRITE},
    operation_id="filing_submit",
    summary="Submit a resumption filing; the phase decides its route",
)
def filing_submit(
    request: AuthenticatedRequest, enterprise_id: int, payload: FilingIn
) -> Status[ResumptionFiling]:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    data = filings.clean_filing(**payload.model_dump())
    return Status(201, filings.filing_submit(actor=request.user, enterprise=enterprise, data=data))


@router.get(
    "/filings/{filing_id}",
    response={200: FilingOut, **READ},
    operation_id="filing_get",
    summary="One filing",
)
def filing_get(request: AuthenticatedRequest, filing_id: int) -> ResumptionFiling:
    return selectors.filing_get_for(user=request.user, filing_id=filing_id)


@router.put(
    "/filings/{filing_id}",
    response={200: FilingOut, **WRITE},
    operation_id="filing_resubmit",
    summary="Correct a returned filing and submit it again",
)
def filing_resubmit(
    request: AuthenticatedRequest, filing_id: int, payload: FilingIn
) -> ResumptionFiling:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    data = filings.clean_filing(**payload.model_dump())
    return filings.filing_resubmit(actor=request.user, filing=filing, data=data)


@router.post(
    "/filings/{filing_id}/review",
    response={200: FilingOut, **WRITE},
    operation_id="filing_review",
    summary="The town passes a filing under its review on to the working group",
    description=(
        "Decided on the filing as it stands when the request holds it: a filing no longer under "
        "the town's review (already passed on, returned, or decided by someone else meanwhile) "
        "is refused with 409 `not_pending`, so a review sent twice is recorded once."
    ),
)
def filing_review(request: AuthenticatedRequest, filing_id: int) -> ResumptionFiling:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    return filings.filing_review(actor=request.user, filing=filing)


@router.post(
    "/filings/{filing_id}/approve",
    response={200: FilingOut, **WRITE},
    operation_id="filing_approve",
    summary="The working group approves a filing and issues the resumption notice",
    description=(
        "Decided on the filing as it stands when the request holds it: a filing not awaiting the "
        "group's approval (still with the town, returned, or approved meanwhile) is refused "
        "with 409 `not_pending`, so an approval sent twice is recorded once."
    ),
)
def filing_approve(request: AuthenticatedRequest, filing_id: int) -> ResumptionFiling:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    return filings.filing_approve(actor=request.user, filing=filing)


@router.post(
    "/filings/{filing_id}/pass",
    response={200: FilingOut, **WRITE},
    operation_id="filing_pass",
    summary="Pass a filing on from the step it is at: the town's review or the group's approval",
    description=(
        "Takes the step the filing is at when the request reads it (`filing_review` under the "
        "town's review, `filing_approve` awaiting the group) and decides that step on the filing "
        "as it stands when the request holds it: if the filing moved on in between, the answer "
        "is 409 `not_pending` and nothing is written. Two passes sent at once decide one step; "
        "use `filing_review` or `filing_approve` to name the step."
    ),
)
def filing_pass(request: AuthenticatedRequest, filing_id: int) -> ResumptionFiling:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    return filings.filing_pass(actor=request.user, filing=filing)


@router.post(
    "/filings/{filing_id}/return",
    response={200: FilingOut, **WRITE},
    operation_id="filing_return",
    summary="Return a filing to the enterprise with reasons",
)
def filing_return(
    request: AuthenticatedRequest, filing_id: int, payload: ReturnIn
) -> ResumptionFiling:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    return filings.filing_return(actor=request.user, filing=filing, reason=payload.reason)


@router.post(
    "/filings/{filing_id}/plan",
    response={200: FilingOut, **WRITE},
    operation_id="filing_plan_upload",
    summary="Hand in (or replace) a filing's prevention plan after it was sent",
)
def filing_plan_upload(
    request: AuthenticatedRequest, filing_id: int, file: File[UploadedFile | None] = None
) -> ResumptionFiling:
    # The file is checked after the filing, so that an unknown filing is a 404 whatever is sent.
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    return filings.filing_plan_upload(actor=request.user, filing=filing, plan_file=file)


@router.get(
    "/filings/{filing_id}/notice.pdf",
    openapi_extra=file_answer(PDF),
    response={200: None, **READ, 409: ProblemOut},
    operation_id="filing_notice",
    summary="The resumption notice (PDF) of an approved or accepted filing",
)
def filing_notice(request: AuthenticatedRequest, filing_id: int) -> HttpResponse:
    filing = selectors.filing_get_for(user=request.user, filing_id=filing_id)
    if not filing.is_granted:
        raise NotFound()
    response = HttpResponse(notice_pdf(filing), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filing.notice_number}.pdf"'
    return response
