"""The wall screen's API schemas: one board with every panel's data, and its map."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class BoardAreaOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(description="district or town")


class PanelOut(Schema):
    key: str = Field(description='"<app>.<name>", unique across apps')
    title: str
    track: str = Field(description="prevention or production: the side of the screen")
    chart: str = Field(description="figures, gauge, line, bar, map or list")
    data: dict[str, Any] = Field(
        description="the chart's data, in the shape of its kind (dualtrack.core.platform.CHARTS)"
    )


class BoardOut(Schema):
    area: BoardAreaOut
    parent: BoardAreaOut | None = Field(description="the board above, when the user may open it")
    day: datetime.date
    generated_at: datetime.datetime
    panels: list[PanelOut]


class MapOut(Schema):
    type: str = Field(description="FeatureCollection")
    features: list[dict[str, Any]] = Field(
        description="one GeoJSON Feature per area on the map (properties: name, code, id, board)"
    )
