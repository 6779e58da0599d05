"""The routes of introducers and the workers each is counted for."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from dualtrack.core.api import READ, WRITE
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.jobs import selectors
from dualtrack.jobs.models import Introducer
from dualtrack.jobs.schemas import IntroducerDetailOut, IntroducerIn, IntroducerOut
from dualtrack.jobs.services import introducers

router = Router()


@router.get(
    "/introducers",
    response={200: list[IntroducerOut], **READ},
    operation_id="employment_introducer_list",
    summary="Introducers of workers (district-wide staff)",
)
def introducer_list(request: AuthenticatedRequest) -> list[Introducer]:
    return list(selectors.introducer_list_for(user=request.user)[:500])


@router.post(
    "/introducers",
    response={201: IntroducerOut, **WRITE},
    operation_id="employment_introducer_create",
    summary="Register an introducer (the enterprise-services group)",
)
def introducer_create(request: AuthenticatedRequest, payload: IntroducerIn) -> Status[Introducer]:
    data = introducers.clean_introducer(**payload.model_dump())
    return Status(201, introducers.introducer_register(actor=request.user, data=data))


@router.get(
    "/introducers/{introducer_id}",
    response={200: IntroducerDetailOut, **READ},
    operation_id="employment_introducer_get",
    summary="An introducer: workers brought per enterprise, and the exact count of qualifying "
    "hires",
)
def introducer_get(request: AuthenticatedRequest, introducer_id: int) -> dict[str, Any]:
    introducer = selectors.introducer_get_for(user=request.user, introducer_id=introducer_id)
    counts = selectors.introducer_counts(introducer=introducer)
    return {
        **IntroducerOut.from_orm(introducer).model_dump(by_alias=True),
        "qualifying_hires": counts.qualifying,
        "claimed": counts.claimed,
        "reached_threshold": counts.reached,
        "by_enterprise": counts.by_enterprise,
    }
