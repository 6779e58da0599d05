"""The areas API: the district tree, households and residents, the organisation, coverage and
the audit trail. Thin routes over the selectors (reads, always scoped) and services (writes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import File, Form, Router, Status, UploadedFile

from dualtrack.areas.models import (
    Area,
    AreaKind,
    Cadre,
    Household,
    IndustrySector,
    LiaisonAssignment,
    OrgUnit,
    Resident,
    RoleGrant,
)
from dualtrack.areas.schemas import (
    AreaCreateIn,
    AreaOut,
    AreaUpdateIn,
    AuditHistoryOut,
    CadreCreateIn,
    CadreOut,
    CadrePageOut,
    CoverageOut,
    HouseholdCreateIn,
    HouseholdOut,
    HouseholdPageOut,
    HouseholdUpdateIn,
    LiaisonCreateIn,
    LiaisonEndIn,
    LiaisonOut,
    OrgUnitCreateIn,
    OrgUnitOut,
    OrgUnitUpdateIn,
    PersonalDataOut,
    ResidentCreateIn,
    ResidentOut,
    ResidentPageOut,
    ResidentUpdateIn,
    RevealIn,
    RoleGrantCreateIn,
    RoleGrantOut,
    RoleGrantPageOut,
    SectorAssignIn,
    SectorOut,
)
from dualtrack.areas.selectors import (
    CoverageReport,
    area_get_for,
    area_list_for,
    cadre_get_for,
    cadre_list_for,
    coverage_for,
    household_get_for,
    household_list_for,
    liaison_get_for,
    liaison_list_for,
    org_unit_get_for,
    org_unit_list_for,
    resident_get_for,
    resident_list_for,
    role_grant_get_for,
    role_grant_list_for,
    sector_list,
    user_list_for,
)
from dualtrack.areas.services import organisation, people, tree
from dualtrack.areas.services.imports import residents_import_start
from dualtrack.core.api import LIST, READ, WRITE, ProblemOut, problems
from dualtrack.core.audit import audit_history_for
from dualtrack.core.errors import NotFound
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.models import User
from dualtrack.core.schemas import AfterId, Id, PageSize
from dualtrack.core.views import AuthenticatedRequest

router = Router(tags=["areas"])


DELETE = problems(401, 403, 404, 409)


def _page(items: list[Any], limit: int) -> dict[str, Any]:
    return {"items": items, "next_after": items[-1].pk if len(items) == limit else None}


def _referenced[T](field: str, lookup: Callable[..., T], **kwargs: Any) -> T:
    """Look up a record the body names by id; NotFound says which field named it."""
    try:
        return lookup(**kwargs)
    except NotFound as exc:
        raise NotFound(errors=[{"field": field, "message": str(exc.message)}]) from exc


def _sector_get(code: str) -> IndustrySector:
    sector = sector_list().filter(code=code.upper()).first()
    if sector is None:
        raise NotFound()
    return sector


def _account_get(*, user: User, account_id: int) -> User:
    """A staff account the caller may grant roles to."""
    account = user_list_for(user=user).filter(pk=account_id).first()
    if account is None:
        raise NotFound()
    return account


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
    return _page(items, limit)


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
    area = _referenced("area_id", area_get_for, user=request.user, area_id=payload.area_id)
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
    return _page(items, limit)


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
    household = _referenced(
        "household_id", household_get_for, user=request.user, household_id=payload.household_id
    )
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
        _referenced("household_id", household_get_for, user=user, household_id=payload.household_id)
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


# --- The command structure ---------------------------------------------------------------------


@router.get(
    "/org-units",
    response={200: list[OrgUnitOut], 401: ProblemOut},
    operation_id="org_unit_list",
    summary="The command structure as far as the caller can see it",
)
def org_unit_list(request: AuthenticatedRequest) -> QuerySet[OrgUnit]:
    return org_unit_list_for(user=request.user)


@router.get(
    "/org-units/{unit_id}",
    response={200: OrgUnitOut, **READ},
    operation_id="org_unit_get",
    summary="One unit of the command structure",
)
def org_unit_get(request: AuthenticatedRequest, unit_id: int) -> OrgUnit:
    return org_unit_get_for(user=request.user, unit_id=unit_id)


@router.post(
    "/org-units",
    response={201: OrgUnitOut, **WRITE},
    operation_id="org_unit_create",
    summary="Add a unit to the command structure",
)
def org_unit_create(request: AuthenticatedRequest, payload: OrgUnitCreateIn) -> Status[OrgUnit]:
    user = request.user
    area = _referenced("area_id", area_get_for, user=user, area_id=payload.area_id)
    parent = (
        _referenced("parent_id", org_unit_get_for, user=user, unit_id=payload.parent_id)
        if payload.parent_id is not None
        else None
    )
    return Status(
        201,
        organisation.org_unit_create(
            actor=user,
            kind=payload.kind,
            name=payload.name,
            area=area,
            parent=parent,
            responsibilities=payload.responsibilities,
            duty=payload.duty,
            order=payload.order,
        ),
    )


@router.put(
    "/org-units/{unit_id}",
    response={200: OrgUnitOut, **WRITE},
    operation_id="org_unit_update",
    summary="Rename a unit or restate its responsibilities",
)
def org_unit_update(
    request: AuthenticatedRequest, unit_id: int, payload: OrgUnitUpdateIn
) -> OrgUnit:
    unit = org_unit_get_for(user=request.user, unit_id=unit_id)
    return organisation.org_unit_update(
        actor=request.user,
        unit=unit,
        name=payload.name,
        responsibilities=payload.responsibilities,
        duty=payload.duty,
    )


@router.get(
    "/sectors",
    response={200: list[SectorOut], 401: ProblemOut},
    operation_id="sector_list",
    summary="Industry sectors and the working group answerable for each",
)
def sectors(request: AuthenticatedRequest) -> QuerySet[IndustrySector]:
    return sector_list()


@router.put(
    "/sectors/{code}",
    response={200: SectorOut, **WRITE},
    operation_id="sector_assign",
    summary="Make a working group answerable for a sector, or clear it",
)
def sector_assign(request: AuthenticatedRequest, code: str, payload: SectorAssignIn) -> Any:
    sector = _sector_get(code)
    group = (
        _referenced(
            "responsible_group_id",
            org_unit_get_for,
            user=request.user,
            unit_id=payload.responsible_group_id,
        )
        if payload.responsible_group_id is not None
        else None
    )
    return organisation.sector_assign(actor=request.user, sector=sector, group=group)


# --- Cadres and liaisons -----------------------------------------------------------------------


@router.get(
    "/cadres",
    response={200: CadrePageOut, **LIST},
    operation_id="cadre_list",
    summary="Cadres posted in scope (under ?area), phones masked, by id, one page",
)
def cadre_list(
    request: AuthenticatedRequest, area: Id | None = None, after: AfterId = 0, limit: PageSize = 50
) -> dict[str, Any]:
    items = cadre_list_for(user=request.user, area_id=area, after_id=after, limit=limit)
    return _page(items, limit)


@router.post(
    "/cadres",
    response={201: CadreOut, **WRITE},
    operation_id="cadre_create",
    summary="Record a cadre posted to an area",
)
def cadre_create(request: AuthenticatedRequest, payload: CadreCreateIn) -> Status[Cadre]:
    user = request.user
    area = _referenced("area_id", area_get_for, user=user, area_id=payload.area_id)
    org_unit = (
        _referenced("org_unit_id", org_unit_get_for, user=user, unit_id=payload.org_unit_id)
        if payload.org_unit_id is not None
        else None
    )
    return Status(
        201,
        organisation.cadre_create(
            actor=user,
            name=payload.name,
            origin=payload.origin,
            area=area,
            phone=payload.phone,
            unit=payload.unit,
            org_unit=org_unit,
        ),
    )


@router.get(
    "/liaisons",
    response={200: list[LiaisonOut], **LIST},
    operation_id="liaison_list",
    summary="Current liaison assignments in scope (under ?area)",
)
def liaison_list(
    request: AuthenticatedRequest, area: Id | None = None
) -> QuerySet[LiaisonAssignment]:
    return liaison_list_for(user=request.user, area_id=area)


@router.post(
    "/liaisons",
    response={201: LiaisonOut, **WRITE},
    operation_id="liaison_assign",
    summary="Make a cadre the liaison of a village or community",
)
def liaison_assign(
    request: AuthenticatedRequest, payload: LiaisonCreateIn
) -> Status[LiaisonAssignment]:
    user = request.user
    cadre = _referenced("cadre_id", cadre_get_for, user=user, cadre_id=payload.cadre_id)
    area = _referenced("area_id", area_get_for, user=user, area_id=payload.area_id)
    return Status(
        201, organisation.liaison_assign(actor=user, cadre=cadre, area=area, since=payload.since)
    )


@router.post(
    "/liaisons/{assignment_id}/end",
    response={200: LiaisonOut, **WRITE},
    operation_id="liaison_end",
    summary="End a liaison assignment; its history is kept",
)
def liaison_end(
    request: AuthenticatedRequest, assignment_id: int, payload: LiaisonEndIn
) -> LiaisonAssignment:
    assignment = liaison_get_for(user=request.user, assignment_id=assignment_id)
    return organisation.liaison_end(actor=request.user, assignment=assignment, until=payload.until)


# --- Role grants -------------------------------------------------------------------------------


@router.get(
    "/role-grants",
    response={200: RoleGrantPageOut, **problems(401, 422)},
    operation_id="role_grant_list",
    summary="Role grants the caller may manage (of ?user), by id, one page",
)
def role_grant_list(
    request: AuthenticatedRequest, user: Id | None = None, after: AfterId = 0, limit: PageSize = 50
) -> dict[str, Any]:
    grants = role_grant_list_for(user=request.user)
    if user is not None:
        grants = grants.filter(user_id=user)
    return _page(list(grants.filter(pk__gt=after).order_by("pk")[:limit]), limit)


@router.post(
    "/role-grants",
    response={201: RoleGrantOut, **WRITE},
    operation_id="role_grant_create",
    summary="Grant a user a role over an area",
)
def role_grant_create(
    request: AuthenticatedRequest, payload: RoleGrantCreateIn
) -> Status[RoleGrant]:
    actor = request.user
    account = _referenced("user_id", _account_get, user=actor, account_id=payload.user_id)
    area = _referenced("area_id", area_get_for, user=actor, area_id=payload.area_id)
    org_unit = (
        _referenced("org_unit_id", org_unit_get_for, user=actor, unit_id=payload.org_unit_id)
        if payload.org_unit_id is not None
        else None
    )
    return Status(
        201,
        organisation.role_grant_create(
            actor=actor, user=account, role=payload.role, area=area, org_unit=org_unit
        ),
    )


@router.delete(
    "/role-grants/{grant_id}",
    response={204: None, **DELETE},
    operation_id="role_grant_revoke",
    summary="Take a role grant away",
)
def role_grant_revoke(request: AuthenticatedRequest, grant_id: int) -> Status[None]:
    grant = role_grant_get_for(user=request.user, grant_id=grant_id)
    organisation.role_grant_revoke(actor=request.user, grant=grant)
    return Status(204, None)


# --- Coverage and the audit trail --------------------------------------------------------------


@router.get(
    "/coverage",
    response={200: CoverageOut, **LIST},
    operation_id="coverage_get",
    summary="What the campaign has left out, per town (or in ?town)",
)
def coverage(request: AuthenticatedRequest, town: Id | None = None) -> CoverageReport:
    return coverage_for(user=request.user, town_id=town)


@router.get(
    "/audit/{app_label}/{model_name}/{object_id}",
    response={200: AuditHistoryOut, **READ},
    operation_id="audit_history",
    summary="A record's audit trail, newest first",
)
def audit_history(
    request: AuthenticatedRequest, app_label: str, model_name: str, object_id: str
) -> dict[str, Any]:
    history = audit_history_for(
        user=request.user, app_label=app_label, model_name=model_name, object_id=object_id
    )
    return {
        "record_type": history.model._meta.label_lower,
        "record_id": history.record_id,
        "record": history.record_repr,
        "entries": history.entries,
    }


# --- The district tree -------------------------------------------------------------------------
# Last, and ``/residents/import`` before ``/residents/{resident_id}``: a path parameter matches
# any segment, so ``/{area_id}`` registered first would capture ``/households`` and the others.


@router.get(
    "",
    response={200: list[AreaOut], **LIST},
    operation_id="area_list",
    summary="Areas in scope, in tree order; the children of ?parent",
)
def area_list(
    request: AuthenticatedRequest, parent: Id | None = None, kind: AreaKind | None = None
) -> QuerySet[Area]:
    if parent is not None:
        area_get_for(user=request.user, area_id=parent)  # a parent out of sight is not found
    return area_list_for(user=request.user, parent_id=parent, kind=kind)


@router.get(
    "/{area_id}", response={200: AreaOut, **READ}, operation_id="area_get", summary="One area"
)
def area_get(request: AuthenticatedRequest, area_id: int) -> Area:
    return area_get_for(user=request.user, area_id=area_id)


@router.post(
    "",
    response={201: AreaOut, **WRITE},
    operation_id="area_create",
    summary="Add a town, village, community or group under a parent area",
)
def area_create(request: AuthenticatedRequest, payload: AreaCreateIn) -> Status[Area]:
    parent = _referenced("parent_id", area_get_for, user=request.user, area_id=payload.parent_id)
    return Status(
        201,
        tree.area_create(
            actor=request.user,
            parent=parent,
            kind=payload.kind,
            name=payload.name,
            official_code=payload.official_code,
        ),
    )


@router.put(
    "/{area_id}",
    response={200: AreaOut, **WRITE},
    operation_id="area_update",
    summary="Rename an area or set its GB/T 2260 code",
)
def area_update(request: AuthenticatedRequest, area_id: int, payload: AreaUpdateIn) -> Area:
    area = area_get_for(user=request.user, area_id=area_id)
    return tree.area_update(
        actor=request.user, area=area, name=payload.name, official_code=payload.official_code
    )


@router.delete(
    "/{area_id}",
    response={204: None, **DELETE},
    operation_id="area_delete",
    summary="Remove an empty area",
)
def area_delete(request: AuthenticatedRequest, area_id: int) -> Status[None]:
    tree.area_delete(actor=request.user, area=area_get_for(user=request.user, area_id=area_id))
    return Status(204, None)
