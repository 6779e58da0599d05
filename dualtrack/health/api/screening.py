"""The health API: screening campaigns (摸排) — campaigns, coverage from town to group, the
households not yet visited and residents not yet covered, visits one at a time or as a phone's
batch, and the import of results collected on paper."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status, UploadedFile

from dualtrack.areas.access import area_get_for_write
from dualtrack.areas.selectors import area_get_for
from dualtrack.core.api import LIST, READ, WRITE, problems
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.schemas import AfterId, Id, PageSize
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.health.access.screening import campaign_permissions
from dualtrack.health.schemas.screening import (
    ScreeningCampaignIn,
    ScreeningCampaignOut,
    ScreeningCampaignPatchIn,
    ScreeningCoverageOut,
    ScreeningVisitIn,
    ScreeningVisitOut,
    ScreeningVisitSyncIn,
    ScreeningVisitSyncOut,
    UncoveredPageOut,
    UnvisitedPageOut,
)
from dualtrack.health.selectors import screening as selectors
from dualtrack.health.services import screening as services
from dualtrack.health.services import screening_import

router = Router(tags=["health"])


def _area_out(area: Any) -> dict[str, Any]:
    return {"id": area.pk, "code": area.code, "name": area.name, "kind": area.kind}


def campaign_out(request: AuthenticatedRequest, campaign: Any, areas: list[Any]) -> dict[str, Any]:
    permissions = campaign_permissions(request.user, campaign)
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "areas": [_area_out(a) for a in areas],
        "asks_presence": campaign.asks_presence,
        "asks_travel": campaign.asks_travel,
        "asks_symptoms": campaign.asks_symptoms,
        "asks_temperature": campaign.asks_temperature,
        "created_at": campaign.created_at,
        "closed_at": campaign.closed_at,
        "is_open": campaign.closed_at is None,
        "may_manage": permissions.manage,
        "may_screen": permissions.screen,
    }


def _campaign(request: AuthenticatedRequest, campaign_id: int) -> Any:
    return selectors.campaign_get_for(user=request.user, campaign_id=campaign_id)


def _one(request: AuthenticatedRequest, campaign: Any) -> dict[str, Any]:
    return campaign_out(request, campaign, selectors.campaign_areas(campaign))


@router.get(
    "/screening/campaigns",
    response={200: list[ScreeningCampaignOut], **LIST},
    operation_id="screening_campaign_list",
    summary="The screening campaigns the caller sees, newest first",
)
def campaign_list(request: AuthenticatedRequest, open_only: bool = False) -> list[dict[str, Any]]:
    campaigns = list(selectors.campaign_list_for(user=request.user, open_only=open_only)[:200])
    areas = selectors.campaign_areas_of(campaigns)
    return [campaign_out(request, c, areas[c.pk]) for c in campaigns]


@router.post(
    "/screening/campaigns",
    response={201: ScreeningCampaignOut, **WRITE},
    operation_id="screening_campaign_open",
    summary="Open a campaign over areas (its coverage totals counted now)",
)
def campaign_open(
    request: AuthenticatedRequest, payload: ScreeningCampaignIn
) -> Status[dict[str, Any]]:
    areas = [
        area_get_for_write(user=request.user, area_id=pk, field="area_ids")
        for pk in payload.area_ids
    ]
    campaign = services.campaign_open(
        actor=request.user,
        name=payload.name,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        areas=areas,
        asks_presence=payload.asks_presence,
        asks_travel=payload.asks_travel,
        asks_symptoms=payload.asks_symptoms,
        asks_temperature=payload.asks_temperature,
    )
    return Status(201, _one(request, campaign))


@router.get(
    "/screening/campaigns/{campaign_id}",
    response={200: ScreeningCampaignOut, **READ},
    operation_id="screening_campaign_get",
    summary="One campaign",
)
def campaign_get(request: AuthenticatedRequest, campaign_id: Id) -> dict[str, Any]:
    return _one(request, _campaign(request, campaign_id))


@router.patch(
    "/screening/campaigns/{campaign_id}",
    response={200: ScreeningCampaignOut, **WRITE},
    operation_id="screening_campaign_update",
    summary="Rename a campaign or move its end",
)
def campaign_update(
    request: AuthenticatedRequest, campaign_id: Id, payload: ScreeningCampaignPatchIn
) -> dict[str, Any]:
    campaign = services.campaign_update(
        actor=request.user,
        campaign=_campaign(request, campaign_id),
        name=payload.name,
        ends_on=payload.ends_on,
    )
    return _one(request, campaign)


@router.post(
    "/screening/campaigns/{campaign_id}/close",
    response={200: ScreeningCampaignOut, **WRITE},
    operation_id="screening_campaign_close",
    summary="Close a campaign: no visit made afterwards is taken",
)
def campaign_close(request: AuthenticatedRequest, campaign_id: Id) -> dict[str, Any]:
    campaign = services.campaign_close(actor=request.user, campaign=_campaign(request, campaign_id))
    return _one(request, campaign)


def coverage_out(report: selectors.CoverageReport) -> dict[str, Any]:
    def row(r: selectors.CoverageRow) -> dict[str, Any]:
        return {
            "area_id": r.area_id,
            "code": r.code,
            "name": r.name,
            "kind": r.kind,
            "households_total": r.households_total,
            "households_visited": r.households_visited,
            "households_percent": r.households_percent,
            "residents_total": r.residents_total,
            "residents_covered": r.residents_covered,
            "residents_percent": r.residents_percent,
            "drillable": r.drillable,
        }

    return {
        "campaign_id": report.campaign.pk,
        "area": _area_out(report.area),
        "path": [_area_out(a) for a in report.path],
        "rows": [row(r) for r in report.rows],
        "total": row(report.total),
    }


@router.get(
    "/screening/campaigns/{campaign_id}/coverage",
    response={200: ScreeningCoverageOut, **LIST},
    operation_id="screening_coverage",
    summary="Coverage one level below an area (default: the top of the caller's sight): "
    "households visited of all, residents covered of all",
)
def coverage(
    request: AuthenticatedRequest, campaign_id: Id, area_id: Id | None = None
) -> dict[str, Any]:
    campaign = _campaign(request, campaign_id)
    area = area_get_for(user=request.user, area_id=area_id) if area_id else None
    return coverage_out(selectors.coverage_for(user=request.user, campaign=campaign, area=area))


def _birth_year(resident: Any) -> int:
    return int(resident.birth_date.year)


def household_out(household: Any) -> dict[str, Any]:
    return {
        "id": household.pk,
        "number": household.number,
        "address": household.address,
        "area": _area_out(household.area),
        "last_outcome": household.last_outcome,
        "revisit_on": household.revisit_on,
        "residents": [
            {"id": r.pk, "name": r.name, "gender": r.gender, "birth_year": _birth_year(r)}
            for r in household.residents.all()
        ],
    }


@router.get(
    "/screening/campaigns/{campaign_id}/unvisited",
    response={200: UnvisitedPageOut, **LIST},
    operation_id="screening_households_unvisited",
    summary="Households not yet visited (不漏一户), with their residents, one page",
    description="`to_screen=true` keeps the households the caller may screen: the phone's work "
    "list.",
)
def households_unvisited(
    request: AuthenticatedRequest,
    campaign_id: Id,
    area_id: Id | None = None,
    to_screen: bool = False,
    after: AfterId = 0,
    limit: PageSize = 50,
) -> dict[str, Any]:
    campaign = _campaign(request, campaign_id)
    area = area_get_for(user=request.user, area_id=area_id) if area_id else None
    items = selectors.households_unvisited_for(
        user=request.user,
        campaign=campaign,
        area=area,
        after_id=after,
        limit=limit,
        to_screen=to_screen,
        with_residents=True,
    )
    return {
        "items": [household_out(h) for h in items],
        "next_after": items[-1].pk if len(items) == limit else None,
    }


@router.get(
    "/screening/campaigns/{campaign_id}/uncovered",
    response={200: UncoveredPageOut, **LIST},
    operation_id="screening_residents_uncovered",
    summary="Residents not yet covered (不漏一人), one page",
)
def residents_uncovered(
    request: AuthenticatedRequest,
    campaign_id: Id,
    area_id: Id | None = None,
    after: AfterId = 0,
    limit: PageSize = 50,
) -> dict[str, Any]:
    campaign = _campaign(request, campaign_id)
    area = area_get_for(user=request.user, area_id=area_id) if area_id else None
    items = selectors.residents_uncovered_for(
        user=request.user, campaign=campaign, area=area, after_id=after, limit=limit
    )
    return {
        "items": [
            {
                "id": r.pk,
                "name": r.name,
                "gender": r.gender,
                "birth_year": _birth_year(r),
                "household_id": r.household_id,
                "household_number": r.household.number,
                "area": _area_out(r.area),
            }
            for r in items
        ],
        "next_after": items[-1].pk if len(items) == limit else None,
    }


def visit_out(visit: Any) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "client_id": visit.client_id,
        "campaign_id": visit.campaign_id,
        "household_id": visit.household_id,
        "outcome": visit.outcome,
        "visited_at": visit.visited_at,
        "revisit_on": visit.revisit_on,
        "note": visit.note,
        "recorded_by": str(visit.recorded_by) if visit.recorded_by else "",
        "records": [
            {
                "resident_id": r.resident_id,
                "name": r.resident.name,
                "present": r.present,
                "whereabouts": r.whereabouts,
                "returned_from_code": r.returned_from_code,
                "returned_from_name": r.returned_from_name,
                "returned_on": r.returned_on,
                "symptoms": r.symptoms,
                "temperature": r.temperature,
                "is_fever": r.is_fever,
                "from_risk_area": r.from_risk_area,
            }
            for r in visit.records.all()
        ],
    }


@router.get(
    "/screening/campaigns/{campaign_id}/households/{household_id}/visits",
    response={200: list[ScreeningVisitOut], **READ},
    operation_id="screening_household_visits",
    summary="The visits of one household in the campaign, with the residents' answers",
)
def household_visits(
    request: AuthenticatedRequest, campaign_id: Id, household_id: Id
) -> list[dict[str, Any]]:
    campaign = _campaign(request, campaign_id)
    household = selectors.household_for_screening(
        user=request.user, campaign=campaign, household_id=household_id
    )
    visits = selectors.household_visits_for(
        user=request.user, campaign=campaign, household=household
    )
    return [visit_out(v) for v in visits]


@router.post(
    "/screening/campaigns/{campaign_id}/visits",
    response={200: ScreeningVisitOut, 201: ScreeningVisitOut, **WRITE},
    operation_id="screening_visit_record",
    summary="Record one household's visit (201; 200 when the client id was already stored)",
)
def visit_record(
    request: AuthenticatedRequest, campaign_id: Id, payload: ScreeningVisitIn
) -> Status[dict[str, Any]]:
    campaign = _campaign(request, campaign_id)
    household = selectors.household_for_screening(
        user=request.user, campaign=campaign, household_id=payload.household_id
    )
    data = payload.model_dump(exclude={"household_id"})
    visit, outcome = services.visit_record(
        actor=request.user, campaign=campaign, household=household, data=data
    )
    visit = selectors.household_visit_get(visit_id=visit.pk)
    return Status(201 if outcome == "created" else 200, visit_out(visit))


@router.post(
    "/screening/visits/sync",
    response={200: ScreeningVisitSyncOut, **problems(400, 401, 403, 409, 413, 422)},
    operation_id="screening_visits_sync",
    summary="A phone's offline queue of visits (≤ 5,000, idempotent by client id; one bad row "
    "refuses the batch)",
)
def visits_sync(request: AuthenticatedRequest, payload: ScreeningVisitSyncIn) -> dict[str, Any]:
    report = services.visits_sync(
        actor=request.user, rows=payload.rows, queued_by=payload.queued_by
    )
    return {"results": report.results}


@router.post(
    "/screening/campaigns/{campaign_id}/import",
    response={**ACCEPTED, **WRITE},
    operation_id="screening_results_import",
    summary="Import results collected on paper (.xlsx from the template) in the background; "
    "all rows or none",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`); the finished job lists "
    "every bad row in `problems`, and nothing is imported if there is one.",
)
def results_import(
    request: AuthenticatedRequest,
    response: HttpResponse,
    campaign_id: Id,
    file: File[UploadedFile | None] = None,
) -> Status[dict[str, Any]]:
    campaign = _campaign(request, campaign_id)
    if file is None:
        raise ValidationFailed.for_field("file", _("Choose the workbook to upload."))
    job = screening_import.results_import_start(
        actor=request.user, campaign=campaign, file=file, filename=file.name or ""
    )
    return job_accepted(job, response)
