"""The wall screen's JSON, shared by the API and the page (which embeds the first answer)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from dualtrack.areas.models import Area
from dualtrack.dashboard.selectors import Board


def area_out(area: Area | None) -> dict[str, Any] | None:
    if area is None:
        return None
    return {"id": area.pk, "code": area.code, "name": area.name, "kind": area.kind}


def board_out(board: Board, parent: Area | None) -> dict[str, Any]:
    return {
        "area": area_out(board.area),
        "parent": area_out(parent),
        "day": board.day,
        "generated_at": board.generated_at,
        "panels": [asdict(panel) for panel in board.panels],
    }
