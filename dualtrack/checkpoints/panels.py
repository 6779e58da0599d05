"""The checkpoints' panels of the wall screen (core.platform.Panel): today's flows and open
alerts per town on the map, and the passages day by day. Read from the daily rollups (kept as
passages arrive) and the open alerts, under the SQL condition of the access rule."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.map import child_code_length, map_children
from dualtrack.areas.models import Area
from dualtrack.areas.scoping import scope_for
from dualtrack.checkpoints.access import gates_sight
from dualtrack.checkpoints.figures import _FIGURES, _figure_checkpoints, figures_by_day
from dualtrack.checkpoints.models import Alert, Checkpoint
from dualtrack.checkpoints.selectors.register import day_bounds
from dualtrack.core import sql
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.platform import Panel

FLOW_DAYS = 14
_JOIN = (
    f"JOIN {Checkpoint._meta.db_table} c ON c.id = t.checkpoint_id "
    f"JOIN {Area._meta.db_table} a ON a.id = c.area_id"
)


def _where(user: User, area: Area) -> tuple[str, list[Any]] | None:
    """The condition on ``checkpoint_id`` of the gates the user sees under ``area``; None when
    they see none there."""
    if not scope_for(user).codes():
        return None
    try:
        where, params = _figure_checkpoints(user, None, area)
    except NotFound:
        return None
    return where.replace("checkpoint_id", "t.checkpoint_id", 1), params


def map_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """Per town (per village, on a town's board): the day's passages and fevers from the daily
    rollups, and the alerts open at the day's end (now, today)."""
    condition = _where(user, area)
    if condition is None:
        return None
    where, params = condition
    length = child_code_length(area)
    flows = {
        code: (passages, fevers)
        for code, passages, fevers in sql.fetch_all(
            f"SELECT SUBSTR(a.code, 1, {length}), SUM(t.people_in + t.people_out), "  # noqa: S608
            f"SUM(t.fevers) FROM {_FIGURES} t {_JOIN} WHERE t.day = %s AND {where} "
            f"GROUP BY SUBSTR(a.code, 1, {length})",
            [day, *params],
        )
    }
    end = connection.ops.adapt_datetimefield_value(day_bounds(day)[1])
    alerts = dict(
        sql.fetch_all(
            f"SELECT SUBSTR(a.code, 1, {length}), COUNT(*) "  # noqa: S608
            f"FROM {Alert._meta.db_table} t {_JOIN} WHERE t.raised_at < %s "
            f"AND (t.handled_at IS NULL OR t.handled_at >= %s) AND {where} "
            f"GROUP BY SUBSTR(a.code, 1, {length})",
            [end, end, *params],
        )
    )
    passages_label, fevers_label, alerts_label = (
        gettext("Passages"),
        gettext("Fevers"),
        gettext("Open alerts"),
    )
    rows = []
    for child in map_children(area):
        passages, fevers = flows.get(child.code, (0, 0))
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "value": int(passages or 0),
                "details": {
                    fevers_label: int(fevers or 0),
                    alerts_label: int(alerts.get(child.code, 0)),
                },
            }
        )
    return {"measure": passages_label, "areas": rows}


def flows_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """People in and out per day over the last fortnight, from the daily rollups."""
    if _where(user, area) is None:
        return None
    days = figures_by_day(user=user, area=area, days=FLOW_DAYS, until=day)
    return {
        "x": [d.day.isoformat() for d in days],
        "series": [
            {"name": gettext("People in"), "values": [d.people_in for d in days]},
            {"name": gettext("People out"), "values": [d.people_out for d in days]},
            {"name": gettext("Fevers"), "values": [d.fevers for d in days]},
        ],
    }


PANELS = (
    Panel(
        key="checkpoints.map",
        title=_("Checkpoint flows and open alerts today"),
        track="prevention",
        chart="map",
        data=map_panel,
        order=10,
        sight=gates_sight,
    ),
    Panel(
        key="checkpoints.flows",
        title=_("Passages at the checkpoints"),
        track="prevention",
        chart="line",
        data=flows_panel,
        order=20,
        sight=gates_sight,
    ),
)
