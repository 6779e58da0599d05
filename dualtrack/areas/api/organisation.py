"""The areas API: the command structure, sectors, cadres and liaisons, and role grants."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Status

from dualtrack.areas.access import (
    account_get_for_write,
    area_get_for_write,
    cadre_get_for_write,
    org_unit_get_for_write,
    sector_get_for_write,
)
from dualtrack.areas.api.router import DELETE, page, router
from dualtrack.areas.models import (
    Cadre,
    IndustrySector,
    LiaisonAssignment,
    OrgUnit,
    RoleGrant,
)
from dualtrack.areas.schemas import (
    CadreCreateIn,
    CadreOut,
    CadrePageOut,
    LiaisonCreateIn,
    LiaisonEndIn,
    LiaisonOut,
    OrgUnitCreateIn,
    OrgUnitOut,
    OrgUnitUpdateIn,
    RoleGrantCreateIn,
    RoleGrantOut,
    RoleGrantPageOut,
    SectorAssignIn,
    SectorOut,
)
from dualtrack.areas.selectors import (
    cadre_list_for,
    liaison_get_for,
    liaison_list_for,
    org_unit_get_for,
    org_unit_list_for,
    role_grant_get_for,
    role_grant_list_for,
    sector_list,
)
from dualtrack.areas.services import organisation
from dualtrack.core.api import LIST, READ, WRITE, ProblemOut, problems
from dualtrack.core.schemas import AfterId, Id, PageSize
from dualtrack.core.views import AuthenticatedRequest

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
    area = area_get_for_write(user=user, area_id=payload.area_id, field="area_id")
    parent = (
        org_unit_get_for_write(user=user, unit_id=payload.parent_id, field="parent_id")
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
    sector = sector_get_for_write(code=code)
    group = (
        org_unit_get_for_write(
            user=request.user, unit_id=payload.responsible_group_id, field="responsible_group_id"
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
    return page(items, limit)


@router.post(
    "/cadres",
    response={201: CadreOut, **WRITE},
    operation_id="cadre_create",
    summary="Record a cadre posted to an area",
)
def cadre_create(request: AuthenticatedRequest, payload: CadreCreateIn) -> Status[Cadre]:
    user = request.user
    area = area_get_for_write(user=user, area_id=payload.area_id, field="area_id")
    org_unit = (
        org_unit_get_for_write(user=user, unit_id=payload.org_unit_id, field="org_unit_id")
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
    cadre = cadre_get_for_write(user=user, cadre_id=payload.cadre_id)
    area = area_get_for_write(user=user, area_id=payload.area_id, field="area_id")
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
    return page(list(grants.filter(pk__gt=after).order_by("pk")[:limit]), limit)


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
    account = account_get_for_write(user=actor, account_id=payload.user_id)
    area = area_get_for_write(user=actor, area_id=payload.area_id, field="area_id")
    org_unit = (
        org_unit_get_for_write(user=actor, unit_id=payload.org_unit_id, field="org_unit_id")
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
