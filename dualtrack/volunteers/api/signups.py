"""Routes of volunteers' sign-ups: the list a village reviews, approving, declining, and
revealing the numbers (audited). Signing up is the public page /volunteers/join/."""

from __future__ import annotations

from typing import Any

from ninja import Router

from dualtrack.core.api import LIST, READ, WRITE
from dualtrack.core.schemas import AfterId
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.volunteers import selectors
from dualtrack.volunteers.models import Volunteer, VolunteerStatus
from dualtrack.volunteers.schemas import (
    ApprovalOut,
    DeclineIn,
    VolunteerOut,
    VolunteerPageOut,
    VolunteerRevealedOut,
)
from dualtrack.volunteers.services import volunteers

router = Router()


@router.get(
    "/signups",
    response={200: VolunteerPageOut, **LIST},
    operation_id="volunteers_signup_list",
    summary="Volunteers of the villages in sight (numbers masked), newest first (a page)",
)
def signup_list(
    request: AuthenticatedRequest, status: VolunteerStatus | None = None, after: AfterId = 0
) -> selectors.Page:
    return selectors.volunteer_page_for(user=request.user, status=status or "", after=after)


@router.get(
    "/signups/{volunteer_id}",
    response={200: VolunteerOut, **READ},
    operation_id="volunteers_signup_get",
    summary="One volunteer (numbers masked)",
)
def signup_get(request: AuthenticatedRequest, volunteer_id: int) -> Volunteer:
    return selectors.volunteer_get_for(user=request.user, volunteer_id=volunteer_id)


@router.post(
    "/signups/{volunteer_id}/approve",
    response={200: ApprovalOut, **WRITE},
    operation_id="volunteers_signup_approve",
    summary="Approve a sign-up: a login with the volunteer role on their villages",
)
def signup_approve(request: AuthenticatedRequest, volunteer_id: int) -> dict[str, Any]:
    volunteer = selectors.volunteer_get_for(user=request.user, volunteer_id=volunteer_id)
    approval = volunteers.volunteer_approve(actor=request.user, volunteer=volunteer)
    return {
        "volunteer": approval.volunteer,
        "username": approval.username,
        "initial_password": approval.password,
    }


@router.post(
    "/signups/{volunteer_id}/decline",
    response={200: VolunteerOut, **WRITE},
    operation_id="volunteers_signup_decline",
    summary="Decline a sign-up, with its reason",
)
def signup_decline(
    request: AuthenticatedRequest, volunteer_id: int, payload: DeclineIn
) -> Volunteer:
    volunteer = selectors.volunteer_get_for(user=request.user, volunteer_id=volunteer_id)
    return volunteers.volunteer_decline(
        actor=request.user, volunteer=volunteer, reason=payload.reason
    )


@router.post(
    "/signups/{volunteer_id}/reveal",
    response={200: VolunteerRevealedOut, **WRITE},
    operation_id="volunteers_signup_reveal",
    summary="The volunteer's mobile and ID number unmasked (audited)",
)
def signup_reveal(request: AuthenticatedRequest, volunteer_id: int) -> dict[str, str]:
    volunteer = selectors.volunteer_get_for(user=request.user, volunteer_id=volunteer_id)
    return volunteers.volunteer_reveal(actor=request.user, volunteer=volunteer)
