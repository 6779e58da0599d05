"""The demo district's map: an outline for each town and village, drawn from the demo's own
layout (no survey behind it), so that the wall screen's map needs no external tiles.

The district is a rectangle of longitude and latitude around Nanchang's high-tech zone, cut into
its towns in two rows (each town's share of the area follows its number of villages), and each
town into a grid of its villages and communities: a plain partition, with no gap or overlap
between neighbours. Pure calculation: tuples in, GeoJSON geometries out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

# West, south, east, north (degrees): the zone east of Nanchang.
DISTRICT_BOX = (115.93, 28.62, 116.27, 28.80)

Box = tuple[float, float, float, float]


def polygon(box: Box) -> dict[str, Any]:
    """A GeoJSON Polygon of a box (counter-clockwise, closed), rounded to about a metre."""
    west, south, east, north = (round(v, 5) for v in box)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _strips(box: Box, weights: Sequence[float], *, across: bool) -> list[Box]:
    """``box`` cut into strips in proportion to ``weights``: side by side (``across``) or one
    above the other (north first)."""
    west, south, east, north = box
    total = sum(weights) or 1.0
    boxes: list[Box] = []
    done = 0.0
    for weight in weights:
        start, done = done, done + weight / total
        if across:
            boxes.append((west + (east - west) * start, south, west + (east - west) * done, north))
        else:
            boxes.append(
                (west, north - (north - south) * done, east, north - (north - south) * start)
            )
    return boxes


def town_boxes(weights: Sequence[float], box: Box = DISTRICT_BOX) -> list[Box]:
    """The towns' boxes: two rows (the first half of the towns above), widths by weight."""
    half = math.ceil(len(weights) / 2)
    rows = [list(weights[:half]), list(weights[half:])]
    rows = [row for row in rows if row]
    row_boxes = _strips(box, [sum(row) for row in rows], across=False)
    boxes: list[Box] = []
    for row, row_box in zip(rows, row_boxes, strict=True):
        boxes.extend(_strips(row_box, row, across=True))
    return boxes


def grid_boxes(count: int, box: Box) -> list[Box]:
    """``count`` cells filling ``box``: rows of equal height, the last row's cells wider when
    it has fewer."""
    if count <= 0:
        return []
    west, south, east, north = box
    aspect = (east - west) / max(north - south, 1e-9)
    columns = max(1, round(math.sqrt(count * aspect)))
    rows = math.ceil(count / columns)
    cells: list[Box] = []
    for row_box in _strips(box, [1.0] * rows, across=False):
        in_row = min(columns, count - len(cells))
        cells.extend(_strips(row_box, [1.0] * in_row, across=True))
    return cells
