"""Reads of the wall screen: the boards a user may open, and every panel's data for one, in one
call (through core.platform; the dashboard imports no app's models).

Every panel's data is kept in the cache for one refresh interval (``DASHBOARD_REFRESH_SECONDS``),
per sight (the user's grants and what else of the user the panels read), board, day and
language: the page's first answer and the refreshes of the same board within the interval (a
second screen, a reload, another commander with the same grants) are served from it, and a
figure is at most one refresh old, as it would be on a screen refreshing by itself. A changed
grant, membership or staff list is another key at once."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from dualtrack.areas.map import map_children, map_geojson
from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.scoping import scope_for
from dualtrack.core import platform
from dualtrack.core.models import User
from dualtrack.dashboard.access import boards_q, require_any_board, require_board


def board_get_for(*, user: User, area_id: int | None = None) -> Area:
    """The board asked for, or the user's own (the district's, else their first town's): 404
    for one out of sight or missing, 403 for a user with no board."""
    require_any_board(user)
    if area_id is None:
        return Area.objects.filter(boards_q(user)).order_by("code").first()  # type: ignore[return-value]
    return require_board(user, Area.objects.filter(pk=area_id).first())


def board_parent_for(*, user: User, area: Area) -> Area | None:
    """The board above ``area`` (the district's, above a town's) when the user may open it."""
    if area.kind != AreaKind.TOWN or area.parent is None:
        return None
    parent = area.parent
    return parent if Area.objects.filter(boards_q(user), pk=parent.pk).exists() else None


@dataclass(frozen=True)
class Board:
    area: Area
    day: datetime.date
    generated_at: datetime.datetime
    panels: list[platform.PanelView]


def board_panels_for(*, user: User, area: Area, day: datetime.date | None = None) -> Board:
    """Every panel's data for the board of ``area`` (one the user may open) on ``day`` (today)."""
    require_board(user, area)
    day = day or timezone.localdate()
    seconds = settings.DASHBOARD_REFRESH_SECONDS
    key = _board_key(user, area, day)
    kept = cache.get(key) if seconds > 0 else None
    if kept is None:
        kept = (timezone.now(), platform.panels_for(user=user, area=area, day=day))
        if seconds > 0:
            cache.set(key, kept, seconds)
    generated_at, panels = kept
    return Board(area, day, generated_at, panels)


def _board_key(user: User, area: Area, day: datetime.date) -> str:
    """What a board's panels depend on: the user's sight — every role grant they hold, which
    each app's rule reads, and what else of the user any panel reads (``Panel.sight``: an
    enterprise login's enterprise, the gates or sites a staff member is on; the user
    themselves for a panel that does not say) — the board, the day and the language of the
    labels. Not who the user is: two commanders with the same grants share one computation."""
    sight = (sorted(map(repr, scope_for(user).grants)), platform.panels_sight_for(user))
    digest = hashlib.sha256(repr(sight).encode()).hexdigest()[:32]
    language = translation.get_language() or ""
    return f"dashboard:board:{digest}:{area.pk}:{day.isoformat()}:{language}"


def board_map_for(*, user: User, area: Area) -> dict[str, Any]:
    """The outlines of the areas on the board's map, as GeoJSON (towns, or a town's villages),
    with which of them have a board the user may open (drill-down)."""
    require_board(user, area)
    children = map_children(area)
    geojson = map_geojson(area, children)
    boards = set(
        Area.objects.filter(boards_q(user), pk__in=[c.pk for c in children]).values_list(
            "pk", flat=True
        )
    )
    for feature in geojson["features"]:
        feature["properties"]["board"] = feature["properties"]["id"] in boards
    return geojson
