"""The areas API: the district tree and what the campaign has left out in it."""

from __future__ import annotations

from django.db.models import QuerySet
from ninja import Status

from dualtrack.areas.access import (
    area_get_for_write,
)
from dualtrack.areas.api.router import DELETE, router
from dualtrack.areas.models import (
    Area,
    AreaKind,
)
from dualtrack.areas.schemas import (
    AreaCreateIn,
    AreaOut,
    AreaUpdateIn,
    CoverageOut,
)
from dualtrack.areas.selectors import (
    CoverageReport,
    area_get_for,
    area_list_for,
    coverage_for,
)
from dualtrack.areas.services import tree
from dualtrack.core.api import LIST, READ, WRITE
from dualtrack.core.schemas import Id
from dualtrack.core.views import AuthenticatedRequest

# --- Coverage --------------------------------------------------------------


@router.get(
    "/coverage",
    response={200: CoverageOut, **LIST},
    operation_id="coverage_get",
    summary="What the campaign has left out, per town (or in ?town)",
)
def coverage(request: AuthenticatedRequest, town: Id | None = None) -> CoverageReport:
    return coverage_for(user=request.user, town_id=town)


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
    parent = area_get_for_write(user=request.user, area_id=payload.parent_id, field="parent_id")
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
