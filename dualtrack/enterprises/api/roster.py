"""The routes of an enterprise's roster."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Router, Status

from dualtrack.core.api import READ, WRITE, problems
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.schemas import AfterId, PageSize
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.enterprises import selectors
from dualtrack.enterprises.models import (
    Employee,
)
from dualtrack.enterprises.schemas import (
    EmployeeIn,
    EmployeeOut,
)
from dualtrack.enterprises.services import (
    roster,
)

router = Router()


@router.get(
    "/enterprises/{enterprise_id}/employees",
    response={200: list[EmployeeOut], **READ},
    operation_id="employee_list",
    summary="An enterprise's workforce roster, numbers masked",
)
def employee_list(
    request: AuthenticatedRequest, enterprise_id: int, after: AfterId = 0, limit: PageSize = 50
) -> list[Employee]:
    roster = selectors.roster_for(user=request.user, enterprise_id=enterprise_id)
    return list(roster.filter(pk__gt=after)[:limit])


@router.post(
    "/enterprises/{enterprise_id}/employees",
    response={201: EmployeeOut, **WRITE},
    operation_id="employee_create",
    summary="Add a worker to the roster",
)
def employee_create(
    request: AuthenticatedRequest, enterprise_id: int, payload: EmployeeIn
) -> Status[Employee]:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    data = roster.clean_employee(**payload.model_dump())
    return Status(201, roster.employee_create(actor=request.user, enterprise=enterprise, data=data))


@router.post(
    "/enterprises/{enterprise_id}/roster/export",
    response={**ACCEPTED, **problems(401, 403, 404, 422)},
    operation_id="roster_export",
    summary="Export an enterprise's roster as .xlsx, in the background (numbers unmasked for its "
    "own users and personal-data roles, and audited)",
)
def roster_export(
    request: AuthenticatedRequest, response: HttpResponse, enterprise_id: int
) -> Status[dict[str, Any]]:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    return job_accepted(
        roster.roster_export_start(actor=request.user, enterprise=enterprise), response
    )
