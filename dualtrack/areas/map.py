"""The district's map for the wall screen: the areas one level below the one shown (the towns of
the district, the villages and communities of a town) with their outlines, as GeoJSON.

An area's outline is stored on it (``Area.geometry``); an area without one is on the map's list
but not drawn. Which area a user may put on the wall screen is the dashboard's rule; the names
and outlines of towns and villages are not personal data.
"""

from __future__ import annotations

from typing import Any

from dualtrack.areas.models import CODE_WIDTH, VILLAGE_KINDS, Area, AreaKind

# What the map of an area shows: its towns (the district), its villages and communities (a town).
MAP_CHILD_KINDS: dict[str, tuple[str, ...]] = {
    AreaKind.DISTRICT: (AreaKind.TOWN,),
    AreaKind.TOWN: VILLAGE_KINDS,
}


def map_children(area: Area) -> list[Area]:
    """The areas drawn on ``area``'s map, in code order (none below a town)."""
    kinds = MAP_CHILD_KINDS.get(area.kind)
    if not kinds:
        return []
    return list(Area.objects.filter(parent=area, kind__in=kinds).order_by("code"))


def child_code_length(area: Area) -> int:
    """The length of the codes of the areas on ``area``'s map: a code's prefix of this length
    names the child a record below ``area`` belongs to."""
    kinds = MAP_CHILD_KINDS.get(area.kind) or (AreaKind.GROUP,)
    return len(area.code) + CODE_WIDTH[kinds[0]]


def map_geojson(area: Area, children: list[Area] | None = None) -> dict[str, Any]:
    """A FeatureCollection of the outlines of ``area``'s children (named, with code and id), for
    ``echarts.registerMap``."""
    children = map_children(area) if children is None else children
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": child.code,
                "properties": {"name": child.name, "code": child.code, "id": child.pk},
                "geometry": child.geometry,
            }
            for child in children
            if child.geometry
        ],
    }
