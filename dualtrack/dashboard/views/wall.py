"""The wall screen (指挥大屏): a 1920 × 1080 page for the command room, the district's board or a
town's, drawn once from the first answer embedded in the page and then refreshed by itself from
the API (every panel in one request, every ``DASHBOARD_REFRESH_SECONDS``), without reloading.

The page is a kiosk page: it does not extend base.html (no menu, no forms); it carries the same
CSP nonce on its scripts and nothing personal (the panels give counts only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.dashboard import presenters, selectors


@require_GET
@login_required
@domain_errors_as_http
def wall(request: AuthenticatedRequest) -> HttpResponse:
    """The user's own board: the district's, or their town's."""
    return _page(request, selectors.board_get_for(user=request.user))


@require_GET
@login_required
@domain_errors_as_http
def wall_board(request: AuthenticatedRequest, area_id: int) -> HttpResponse:
    """A town's board (or the district's), as the map's drill-down opens it."""
    return _page(request, selectors.board_get_for(user=request.user, area_id=area_id))


def _page(request: AuthenticatedRequest, area: object) -> HttpResponse:
    user = request.user
    board = selectors.board_panels_for(user=user, area=area)  # type: ignore[arg-type]
    parent = selectors.board_parent_for(user=user, area=board.area)
    return render(
        request,
        "dashboard/wall.html",
        {
            "board": board,
            "parent": parent,
            "board_json": presenters.board_out(board, parent),
            "map_json": selectors.board_map_for(user=user, area=board.area),
            "api_url": reverse("api:dashboard_board_get", args=[board.area.pk]),
            "board_url": reverse("dashboard_board", args=[0]).replace("/0/", "/{id}/"),
            "refresh_ms": int(settings.DASHBOARD_REFRESH_SECONDS * 1000),
        },
    )
