"""The routes of applications: the enterprise's steps from an application to a hire."""

from __future__ import annotations

from typing import Any

from ninja import Router

from dualtrack.core.api import LIST, READ, WRITE
from dualtrack.core.schemas import AfterId, PageSize
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.jobs import selectors
from dualtrack.jobs.models import Application, ApplicationStatus
from dualtrack.jobs.schemas import (
    ApplicationDetailOut,
    ApplicationPageOut,
    HireIn,
    InviteIn,
    NoteIn,
    ReasonIn,
    RevealedOut,
)
from dualtrack.jobs.services import personal, pipeline
from dualtrack.jobs.services.personal import Revealed

router = Router()


@router.get(
    "/applications",
    response={200: ApplicationPageOut, **LIST},
    operation_id="employment_application_list",
    summary="Applications in sight (an enterprise's own applicants), numbers masked",
)
def application_list(
    request: AuthenticatedRequest,
    posting_id: int | None = None,
    fair_id: int | None = None,
    status: ApplicationStatus | None = None,
    after: AfterId = 0,
    limit: PageSize = 50,
) -> dict[str, Any]:
    qs = selectors.application_list_for(
        user=request.user, posting_id=posting_id, fair_id=fair_id, status=status or ""
    )
    if after:
        qs = qs.filter(pk__lt=after)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_after": rows[-1].pk if more else None}


def _get(request: AuthenticatedRequest, application_id: int) -> Application:
    return selectors.application_get_for(user=request.user, application_id=application_id)


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationDetailOut, **READ},
    operation_id="employment_application_get",
    summary="One application with its steps (when, by whom)",
)
def application_get(request: AuthenticatedRequest, application_id: int) -> Application:
    return _get(request, application_id)


@router.post(
    "/applications/{application_id}/reveal",
    response={200: RevealedOut, **WRITE},
    operation_id="employment_application_reveal",
    summary="The applicant's ID number and mobile unmasked (the enterprise, or a role with "
    "personal data; audited)",
)
def application_reveal(request: AuthenticatedRequest, application_id: int) -> Revealed:
    return personal.applicant_reveal(actor=request.user, application=_get(request, application_id))


@router.post(
    "/applications/{application_id}/screen",
    response={200: ApplicationDetailOut, **WRITE},
    operation_id="employment_application_screen",
    summary="Screen an application",
)
def application_screen(
    request: AuthenticatedRequest, application_id: int, payload: NoteIn
) -> Application:
    return pipeline.application_screen(
        actor=request.user, application=_get(request, application_id), note=payload.note
    )


@router.post(
    "/applications/{application_id}/interview",
    response={200: ApplicationDetailOut, **WRITE},
    operation_id="employment_application_invite",
    summary="Invite to an interview: online (video link) or on site, at a time",
)
def application_invite(
    request: AuthenticatedRequest, application_id: int, payload: InviteIn
) -> Application:
    return pipeline.application_invite(
        actor=request.user,
        application=_get(request, application_id),
        mode=payload.mode,
        at=payload.at,
        link=payload.link,
        place=payload.place,
    )


@router.post(
    "/applications/{application_id}/offer",
    response={200: ApplicationDetailOut, **WRITE},
    operation_id="employment_application_offer",
    summary="Offer the job",
)
def application_offer(request: AuthenticatedRequest, application_id: int) -> Application:
    return pipeline.application_offer(actor=request.user, application=_get(request, application_id))


@router.post(
    "/applications/{application_id}/hire",
    response={200: ApplicationDetailOut, **WRITE},
    operation_id="employment_application_hire",
    summary="Record the hire: start date (on or after the offer) and contract; the person joins "
    "the enterprise's roster as a new hire",
)
def application_hire(
    request: AuthenticatedRequest, application_id: int, payload: HireIn
) -> Application:
    return pipeline.application_hire(
        actor=request.user, application=_get(request, application_id), **payload.model_dump()
    )


@router.post(
    "/applications/{application_id}/reject",
    response={200: ApplicationDetailOut, **WRITE},
    operation_id="employment_application_reject",
    summary="Reject an application, with a reason",
)
def application_reject(
    request: AuthenticatedRequest, application_id: int, payload: ReasonIn
) -> Application:
    return pipeline.application_reject(
        actor=request.user, application=_get(request, application_id), reason=payload.reason
    )


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationDetailOut, **WRITE},
    operation_id="employment_application_withdraw",
    summary="Record the job seeker's withdrawal, with a reason",
)
def application_withdraw(
    request: AuthenticatedRequest, application_id: int, payload: ReasonIn
) -> Application:
    return pipeline.application_withdraw(
        actor=request.user, application=_get(request, application_id), reason=payload.reason
    )
