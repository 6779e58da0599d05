"""The areas API: households and residents, the residents' import and the audited reveal."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import File, Form, Status, UploadedFile

from dualtrack.areas.access import (
    area_get_for_write,
    household_get_for_write,
)
from dualtrack.areas.api.router import DELETE, page, router
from dualtrack.areas.models import (
    Household,
    Resident,
)
from dualtrack.areas.schemas import (
    HouseholdCreateIn,
    HouseholdOut,
    HouseholdPageOut,
    HouseholdUpdateIn,
    PersonalDataOut,
    ResidentCreateIn,
    ResidentOut,
    ResidentPageOut,
    ResidentUpdateIn,
    RevealIn,
)
from dualtrack.areas.selectors import (
    household_get_for,
    household_list_for,
    resident_get_for,
    resident_list_for,
)
from dualtrack.areas.services import people
from dualtrack.areas.services.imports import residents_import_start
from dualtrack.core.api import LIST, READ, WRITE, problems
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.schemas import AfterId, Id, PageSize
from dualtrack.core.views import AuthenticatedRequest

# --- Households --------------------------------------------------------------------------------


@router.get(
    "/households",
    response={200: HouseholdPageOut, **LIST},
    operation_id="household_list",
    summary="Households in scope (under ?area), by id, one page",
)
def household_list(
    request: AuthenticatedRequest, area: Id | None = None, after: AfterId = 0, limit: PageSize = 50
) -> dict[str, Any]:
    items = household_list_for(user=request.user, area_id=area, after_id=after, limit=limit)
    return page(items, limit)


@router.get(
    "/households/{household_id}",
    response={200: HouseholdOut, **READ},
    operation_id="household_get",
    summary="One household",
)
def household_get(request: AuthenticatedRequest, household_id: int) -> Household:
    return household_get_for(user=request.user, household_id=household_id)


@router.post(
    "/households",
    response={201: HouseholdOut, **WRITE},
    operation_id="household_create",
    summary="Register a household",
)
def household_create(
    request: AuthenticatedRequest, payload: HouseholdCreateIn
) -> Status[Household]:
    area = area_get_for_write(user=request.user, area_id=payload.area_id, field="area_id")
    return Status(
        201,
        people.household_create(
            actor=request.user, area=area, number=payload.number, address=payload.address
        ),
    )


@router.put(
    "/households/{household_id}",
    response={200: HouseholdOut, **WRITE},
    operation_id="household_update",
    summary="Change a household's number or address",
)
def household_update(
    request: AuthenticatedRequest, household_id: int, payload: HouseholdUpdateIn
) -> Household:
    household = household_get_for(user=request.user, household_id=household_id)
    return people.household_update(
        actor=request.user, household=household, number=payload.number, address=payload.address
    )


@router.delete(
    "/households/{household_id}",
    response={204: None, **DELETE},
    operation_id="household_delete",
    summary="Remove a household that has no residents",
)
def household_delete(request: AuthenticatedRequest, household_id: int) -> Status[None]:
    household = household_get_for(user=request.user, household_id=household_id)
    people.household_delete(actor=request.user, household=household)
    return Status(204, None)


# --- Residents ---------------------------------------------------------------------------------


@router.get(
    "/residents",
    response={200: ResidentPageOut, **LIST},
    operation_id="resident_list",
    summary="Residents in scope, personal data masked, by id, one page",
    description="`?q` matches part of a name, or a whole ID number or mobile number.",
)
def resident_list(
    request: AuthenticatedRequest,
    area: Id | None = None,
    household: Id | None = None,
    q: str = "",
    after: AfterId = 0,
    limit: PageSize = 50,
) -> dict[str, Any]:
    items = resident_list_for(
        user=request.user,
        area_id=area,
        household_id=household,
        search=q,
        after_id=after,
        limit=limit,
    )
    return page(items, limit)


@router.post(
    "/residents/import",
    response={**ACCEPTED, **problems(401, 403, 422)},
    operation_id="resident_import",
    summary="Import households and residents from an .xlsx sheet, in the background",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`). All rows or none: if "
    "any row is wrong, nothing is imported and the finished job lists every problem in "
    "`problems`, unless `good_rows_only` is true, which imports the good rows and lists the "
    "others. A file that is plainly no workbook is refused at once (422).",
)
def resident_import(
    request: AuthenticatedRequest,
    response: HttpResponse,
    file: File[UploadedFile],
    good_rows_only: Form[bool] = False,
) -> Status[dict[str, Any]]:
    job = residents_import_start(
        actor=request.user, file=file, filename=file.name or "", good_rows_only=good_rows_only
    )
    return job_accepted(job, response)


@router.get(
    "/residents/{resident_id}",
    response={200: ResidentOut, **READ},
    operation_id="resident_get",
    summary="One resident, personal data masked",
)
def resident_get(request: AuthenticatedRequest, resident_id: int) -> Resident:
    return resident_get_for(user=request.user, resident_id=resident_id)


@router.post(
    "/residents",
    response={201: ResidentOut, **WRITE},
    operation_id="resident_create",
    summary="Register a resident in a household",
)
def resident_create(request: AuthenticatedRequest, payload: ResidentCreateIn) -> Status[Resident]:
    household = household_get_for_write(user=request.user, household_id=payload.household_id)
    return Status(
        201,
        people.resident_create(
            actor=request.user,
            household=household,
            name=payload.name,
            id_number=payload.id_number,
            phone=payload.phone,
            relation=payload.relation,
            residence=payload.residence,
        ),
    )


@router.put(
    "/residents/{resident_id}",
    response={200: ResidentOut, **WRITE},
    operation_id="resident_update",
    summary="Correct a resident's details, or move them to another household",
)
def resident_update(
    request: AuthenticatedRequest, resident_id: int, payload: ResidentUpdateIn
) -> Resident:
    user = request.user
    resident = resident_get_for(user=user, resident_id=resident_id)
    household = (
        household_get_for_write(user=user, household_id=payload.household_id)
        if payload.household_id is not None
        else None
    )
    # Clients see personal data masked, so that what they leave out is kept as stored.
    return people.resident_update(
        actor=user,
        resident=resident,
        name=payload.name,
        id_number=resident.id_number if payload.id_number is None else payload.id_number,
        phone=resident.phone if payload.phone is None else payload.phone,
        relation=payload.relation,
        residence=payload.residence,
        household=household,
    )


@router.delete(
    "/residents/{resident_id}",
    response={204: None, **DELETE},
    operation_id="resident_delete",
    summary="Remove a resident registered in error",
)
def resident_delete(request: AuthenticatedRequest, resident_id: int) -> Status[None]:
    resident = resident_get_for(user=request.user, resident_id=resident_id)
    people.resident_delete(actor=request.user, resident=resident)
    return Status(204, None)


@router.post(
    "/residents/{resident_id}/reveal",
    response={200: PersonalDataOut, **WRITE},
    operation_id="resident_reveal",
    summary="A resident's unmasked ID number and mobile; the view is audited",
)
def resident_reveal(
    request: AuthenticatedRequest, resident_id: int, payload: RevealIn, response: HttpResponse
) -> dict[str, Any]:
    resident = resident_get_for(user=request.user, resident_id=resident_id)
    revealed = people.resident_reveal(actor=request.user, resident=resident, reason=payload.reason)
    response["Cache-Control"] = "no-store"
    return {"id": resident.pk, "id_number": revealed.id_number, "phone": revealed.phone}
