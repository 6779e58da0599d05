"""The enterprises' panels of the wall screen (core.platform.Panel): the resumption rate and the
workers back, today's from the working copy of the 24:00 snapshot that every write keeps
current, and day by day from the frozen snapshots."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area, AreaKind
from dualtrack.core import platform
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.platform import Panel
from dualtrack.enterprises import access
from dualtrack.enterprises.access import enterprise_sight
from dualtrack.enterprises.figures import Figures, figures_for


def _figures(user: User, area: Area) -> Figures | None:
    """The resumption figures of ``area`` (the district: every town the user sees; a town: that
    town), or None when the user sees no enterprise there."""

    def compute() -> Figures | None:
        towns = access.towns_visible(user)
        if not towns:
            return None
        town_id = area.pk if area.kind == AreaKind.TOWN else None
        try:
            return figures_for(user=user, town_id=town_id, towns=towns)
        except NotFound:
            return None

    # The three panels share one computation per refresh.
    return platform.once_per_refresh(("enterprises.figures", user.pk, area.pk), compute)


def resumption_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """Enterprises resumed, the rate, and the workers on duty at the last 24:00 against the
    normal workforce."""
    figures = _figures(user, area)
    if figures is None:
        return None
    total = figures.total
    return {
        "items": [
            {"label": gettext("Resumption rate"), "value": total.resumption_rate, "unit": "%"},
            {
                "label": gettext("Enterprises resumed"),
                "value": total.resumed,
                "unit": f"/ {total.enterprises}",
            },
            {"label": gettext("Workers back"), "value": total.workers_on_duty, "unit": ""},
            {
                "label": gettext("Of the normal workforce"),
                "value": total.workforce_rate,
                "unit": "%",
            },
            {
                "label": gettext("Above-scale industrial resumed"),
                "value": figures.above_scale.resumption_rate,
                "unit": "%",
            },
        ]
    }


def towns_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """The resumption rate and the workforce back, per town (per industry, on a town's board)."""
    figures = _figures(user, area)
    if figures is None:
        return None
    tallies = figures.by_town if area.kind != AreaKind.TOWN else figures.by_sector
    tallies = [t for t in tallies if t.enterprises]
    return {
        "x": [t.label for t in tallies],
        "series": [
            {"name": gettext("Resumption rate"), "values": [t.resumption_rate for t in tallies]},
            {"name": gettext("Workers back (%)"), "values": [t.workforce_rate for t in tallies]},
        ],
        "unit": "%",
        "horizontal": True,
    }


def workers_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """Workers on duty and enterprises resumed at each 24:00 of the last month (snapshots)."""
    figures = _figures(user, area)
    if figures is None:
        return None
    return {
        "x": [row["date"] for row in figures.series],
        "series": [
            {
                "name": gettext("Workers on duty"),
                "values": [row["workers_on_duty"] for row in figures.series],
            },
            {
                "name": gettext("Enterprises resumed"),
                "values": [row["resumed"] for row in figures.series],
            },
        ],
    }


PANELS = (
    Panel(
        key="enterprises.resumption",
        title=_("Resumption today"),
        track="production",
        chart="figures",
        data=resumption_panel,
        order=10,
        # The towns' figures read the grants alone today; naming the enterprise keeps an
        # enterprise login from sharing them should they ever read it.
        sight=enterprise_sight,
    ),
    Panel(
        key="enterprises.towns",
        title=_("Resumption by town"),
        track="production",
        chart="bar",
        data=towns_panel,
        order=20,
        sight=enterprise_sight,
    ),
    Panel(
        key="enterprises.workers",
        title=_("Workers back, day by day"),
        track="production",
        chart="line",
        data=workers_panel,
        order=30,
        sight=enterprise_sight,
    ),
)
