"""The routes of fairs, postings and the figures."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from dualtrack.core.api import LIST, READ, WRITE
from dualtrack.core.errors import NotFound
from dualtrack.core.schemas import AfterId, PageSize
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.enterprises.selectors import enterprise_get_for, enterprise_list_for
from dualtrack.jobs import access, selectors
from dualtrack.jobs.figures import recruitment_figures
from dualtrack.jobs.models import Fair, Posting, PostingStatus
from dualtrack.jobs.schemas import (
    FairEnterprisesIn,
    FairIn,
    FairOut,
    FairUpdateIn,
    PostingIn,
    PostingOut,
    PostingPageOut,
    RecruitmentFiguresOut,
)
from dualtrack.jobs.services import fairs, postings

router = Router()


def _enterprises(request: AuthenticatedRequest, ids: list[int]) -> list[Any]:
    """The enterprises a fair names, each in the user's sight (else 404 naming the field)."""
    found = list(enterprise_list_for(user=request.user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise NotFound(
            errors=[{"field": "enterprise_ids", "message": str(NotFound.default_message)}]
        )
    return found


@router.get(
    "/fairs",
    response={200: list[FairOut], **READ},
    operation_id="employment_fair_list",
    summary="The district's online fairs",
)
def fair_list(request: AuthenticatedRequest) -> list[Fair]:
    return list(selectors.fair_list_for(user=request.user).prefetch_related("enterprises")[:200])


@router.post(
    "/fairs",
    response={201: FairOut, **WRITE},
    operation_id="employment_fair_create",
    summary="Open an online fair (the enterprise-services group)",
)
def fair_create(request: AuthenticatedRequest, payload: FairIn) -> Status[Fair]:
    access.require_manage_fairs(request.user)
    values = payload.model_dump()
    enterprises = _enterprises(request, values.pop("enterprise_ids"))
    fair = fairs.fair_create(
        actor=request.user, data=fairs.clean_fair(**values), enterprises=enterprises
    )
    return Status(201, fair)


@router.get(
    "/fairs/{fair_id}",
    response={200: FairOut, **READ},
    operation_id="employment_fair_get",
    summary="One online fair",
)
def fair_get(request: AuthenticatedRequest, fair_id: int) -> Fair:
    return selectors.fair_get_for(user=request.user, fair_id=fair_id)


@router.put(
    "/fairs/{fair_id}",
    response={200: FairOut, **WRITE},
    operation_id="employment_fair_update",
    summary="Change a fair's title, theme, description or period (until it is closed)",
)
def fair_update(request: AuthenticatedRequest, fair_id: int, payload: FairUpdateIn) -> Fair:
    fair = selectors.fair_get_for(user=request.user, fair_id=fair_id)
    data = fairs.clean_fair(**payload.model_dump())
    return fairs.fair_update(actor=request.user, fair=fair, data=data)


@router.put(
    "/fairs/{fair_id}/enterprises",
    response={200: FairOut, **WRITE},
    operation_id="employment_fair_enterprises",
    summary="Set the enterprises taking part in a fair (those with postings in it stay)",
)
def fair_enterprises(
    request: AuthenticatedRequest, fair_id: int, payload: FairEnterprisesIn
) -> Fair:
    fair = selectors.fair_get_for(user=request.user, fair_id=fair_id)
    access.require_manage_fairs(request.user)
    enterprises = _enterprises(request, payload.enterprise_ids)
    return fairs.fair_set_enterprises(actor=request.user, fair=fair, enterprises=enterprises)


@router.post(
    "/fairs/{fair_id}/close",
    response={200: FairOut, **WRITE},
    operation_id="employment_fair_close",
    summary="Close a fair before its end: no more postings or applications",
)
def fair_close(request: AuthenticatedRequest, fair_id: int) -> Fair:
    fair = selectors.fair_get_for(user=request.user, fair_id=fair_id)
    return fairs.fair_close(actor=request.user, fair=fair)


@router.get(
    "/postings",
    response={200: PostingPageOut, **LIST},
    operation_id="employment_posting_list",
    summary="Postings in sight (an enterprise's own; the group's district), newest first",
)
def posting_list(
    request: AuthenticatedRequest,
    fair_id: int | None = None,
    status: PostingStatus | None = None,
    after: AfterId = 0,
    limit: PageSize = 50,
) -> dict[str, Any]:
    qs = selectors.posting_list_for(user=request.user, fair_id=fair_id, status=status or "")
    if after:
        qs = qs.filter(pk__lt=after)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_after": rows[-1].pk if more else None}


@router.post(
    "/postings",
    response={201: PostingOut, **WRITE},
    operation_id="employment_posting_create",
    summary="Post a vacancy, for a fair or standing",
)
def posting_create(request: AuthenticatedRequest, payload: PostingIn) -> Status[Posting]:
    values = payload.model_dump()
    enterprise = enterprise_get_for(user=request.user, enterprise_id=values.pop("enterprise_id"))
    fair_id, town_id = values.pop("fair_id"), values.pop("town_id")
    fair = (
        selectors.fair_get_for_write(user=request.user, fair_id=fair_id, field="fair_id")
        if fair_id
        else None
    )
    town = (
        selectors.town_get_for_write(user=request.user, town_id=town_id, field="town_id")
        if town_id
        else None
    )
    posting = postings.posting_create(
        actor=request.user,
        enterprise=enterprise,
        fair=fair,
        town=town,
        data=postings.clean_posting(**values),
    )
    return Status(201, posting)


@router.get(
    "/postings/{posting_id}",
    response={200: PostingOut, **READ},
    operation_id="employment_posting_get",
    summary="One posting",
)
def posting_get(request: AuthenticatedRequest, posting_id: int) -> Posting:
    return selectors.posting_get_for(user=request.user, posting_id=posting_id)


@router.post(
    "/postings/{posting_id}/close",
    response={200: PostingOut, **WRITE},
    operation_id="employment_posting_close",
    summary="Take a posting down before it is filled",
)
def posting_close(request: AuthenticatedRequest, posting_id: int) -> Posting:
    posting = selectors.posting_get_for(user=request.user, posting_id=posting_id)
    return postings.posting_close(actor=request.user, posting=posting)


@router.get(
    "/figures",
    response={200: RecruitmentFiguresOut, **LIST},
    operation_id="employment_figures",
    summary="Postings, positions, applications, interviews and hires per fair and per enterprise",
)
def figures(request: AuthenticatedRequest, fair_id: int | None = None) -> dict[str, Any]:
    if fair_id is not None:
        selectors.fair_get_for(user=request.user, fair_id=fair_id)
    result = recruitment_figures(user=request.user, fair_id=fair_id)
    return {
        "total": result.total.as_dict(),
        "by_fair": [t.as_dict() for t in result.by_fair],
        "by_enterprise": [t.as_dict() for t in result.by_enterprise],
    }
