"""The wall screen's JSON API, mounted at /api/dashboard/: every panel of a board in one answer
(what the page asks for every few seconds), and the board's map. Read-only."""

from __future__ import annotations

from typing import Any

from ninja import Router

from dualtrack.core.api import problems
from dualtrack.core.schemas import Id
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.dashboard import presenters, selectors
from dualtrack.dashboard.schemas import BoardOut, MapOut

router = Router(tags=["dashboard"])
READ = problems(401, 403, 404, 422)


@router.get(
    "/board",
    response={200: BoardOut, **READ},
    operation_id="dashboard_board_own",
    summary="The user's own board (the district's, or their town's) with every panel's data",
)
def board_own(request: AuthenticatedRequest) -> dict[str, Any]:
    area = selectors.board_get_for(user=request.user)
    return _board(request, area)


@router.get(
    "/boards/{area_id}",
    response={200: BoardOut, **READ},
    operation_id="dashboard_board_get",
    url_name="dashboard_board_get",
    summary="A board (the district's or a town's) with every panel's data, in one answer",
)
def board_get(request: AuthenticatedRequest, area_id: Id) -> dict[str, Any]:
    area = selectors.board_get_for(user=request.user, area_id=area_id)
    return _board(request, area)


@router.get(
    "/boards/{area_id}/map",
    response={200: MapOut, **READ},
    operation_id="dashboard_board_map",
    summary="The outlines of the areas on a board's map (GeoJSON), drawn from the district's own",
)
def board_map(request: AuthenticatedRequest, area_id: Id) -> dict[str, Any]:
    area = selectors.board_get_for(user=request.user, area_id=area_id)
    return selectors.board_map_for(user=request.user, area=area)


def _board(request: AuthenticatedRequest, area: Any) -> dict[str, Any]:
    board = selectors.board_panels_for(user=request.user, area=area)
    return presenters.board_out(board, selectors.board_parent_for(user=request.user, area=area))
