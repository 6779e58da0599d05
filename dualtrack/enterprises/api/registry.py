"""The registry's routes: enterprises, their import and export, suspension."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status, UploadedFile

from dualtrack.core.api import LIST, READ, WRITE, problems
from dualtrack.core.errors import NotFound
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.schemas import AfterId, Id, PageSize
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.enterprises import access, selectors
from dualtrack.enterprises.models import (
    Enterprise,
    IndustryDivision,
)
from dualtrack.enterprises.schemas import (
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePageOut,
    SuspendIn,
)
from dualtrack.enterprises.services import (
    imports,
    registry,
)

router = Router()


def _division(code: str) -> IndustryDivision | None:
    if not code:
        return None
    division = selectors.division_list().filter(code=code.zfill(2)).first()
    if division is None:
        raise NotFound(errors=[{"field": "division_code", "message": str(_("No such division."))}])
    return division


def _enterprise_data(
    request: AuthenticatedRequest, payload: EnterpriseIn
) -> registry.EnterpriseData:
    return registry.clean_enterprise(
        credit_code=payload.credit_code,
        name=payload.name,
        town=access.town_get_for_write(user=request.user, town_id=payload.town_id, field="town_id"),
        legal_representative=payload.legal_representative,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        address=payload.address,
        division=_division(payload.division_code),
        above_scale=payload.above_scale,
        size_class=payload.size_class,
        key_enterprise=payload.key_enterprise,
        normal_workforce=payload.normal_workforce,
    )


@router.get(
    "/enterprises",
    response={200: EnterprisePageOut, **LIST},
    operation_id="enterprise_list",
    summary="Enterprises in scope, by id, one page",
)
def enterprise_list(
    request: AuthenticatedRequest,
    town: Id | None = None,
    status: str = "",
    q: str = "",
    after: AfterId = 0,
    limit: PageSize = 50,
) -> dict[str, Any]:
    qs = selectors.enterprise_list_for(user=request.user, town_id=town, status=status, search=q)
    items = list(qs.filter(pk__gt=after).order_by("id")[:limit])
    return {"items": items, "next_after": items[-1].pk if len(items) == limit else None}


@router.get(
    "/enterprises/{enterprise_id}",
    response={200: EnterpriseOut, **READ},
    operation_id="enterprise_get",
    summary="One enterprise",
)
def enterprise_get(request: AuthenticatedRequest, enterprise_id: int) -> Enterprise:
    return selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)


@router.post(
    "/enterprises",
    response={201: EnterpriseOut, **WRITE},
    operation_id="enterprise_create",
    summary="Register an enterprise",
)
def enterprise_create(request: AuthenticatedRequest, payload: EnterpriseIn) -> Status[Enterprise]:
    return Status(
        201, registry.enterprise_create(actor=request.user, data=_enterprise_data(request, payload))
    )


@router.put(
    "/enterprises/{enterprise_id}",
    response={200: EnterpriseOut, **WRITE},
    operation_id="enterprise_update",
    summary="Correct an enterprise's registry entry",
)
def enterprise_update(
    request: AuthenticatedRequest, enterprise_id: int, payload: EnterpriseIn
) -> Enterprise:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    return registry.enterprise_update(
        actor=request.user, enterprise=enterprise, data=_enterprise_data(request, payload)
    )


@router.post(
    "/imports/enterprises",
    response={**ACCEPTED, **problems(401, 403, 422)},
    operation_id="enterprise_import",
    summary="Register enterprises from an .xlsx, in the background; all rows or none",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`); the finished job lists "
    "every bad row in `problems`, and nothing is imported if there is one. A file that is "
    "plainly no workbook is refused at once (422).",
)
def enterprise_import(
    request: AuthenticatedRequest, response: HttpResponse, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    job = imports.enterprises_import_start(actor=request.user, file=file, filename=file.name or "")
    return job_accepted(job, response)


@router.post(
    "/exports/enterprises",
    response={**ACCEPTED, **problems(401, 403)},
    operation_id="enterprise_export",
    summary="Export the registry in the caller's scope as .xlsx (phones masked), in the "
    "background; the finished job's `result_url` is the file",
)
def enterprise_export(
    request: AuthenticatedRequest, response: HttpResponse
) -> Status[dict[str, Any]]:
    return job_accepted(imports.enterprises_export_start(actor=request.user), response)


@router.post(
    "/enterprises/{enterprise_id}/suspend",
    response={200: EnterpriseOut, **WRITE},
    operation_id="enterprise_suspend",
    summary="Suspend a resumed enterprise's work",
)
def enterprise_suspend(
    request: AuthenticatedRequest, enterprise_id: int, payload: SuspendIn
) -> Enterprise:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    return registry.enterprise_suspend(
        actor=request.user, enterprise=enterprise, reason=payload.reason
    )


@router.post(
    "/enterprises/{enterprise_id}/resume",
    response={200: EnterpriseOut, **WRITE},
    operation_id="enterprise_resume",
    summary="Let a suspended enterprise work again",
)
def enterprise_resume(request: AuthenticatedRequest, enterprise_id: int) -> Enterprise:
    enterprise = selectors.enterprise_get_for(user=request.user, enterprise_id=enterprise_id)
    return registry.enterprise_resume(actor=request.user, enterprise=enterprise)
