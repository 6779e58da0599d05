"""The early warning's panels of the wall screen (core.platform.Panel): the signals not yet
closed, and Rt over the last weeks — both read from what the nightly recomputation stored."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area
from dualtrack.core.models import User
from dualtrack.core.platform import Panel, grants_alone
from dualtrack.prediction.access import has, visible_q
from dualtrack.prediction.models import RtEstimate, Signal, SignalState
from dualtrack.prediction.selectors import series_label

SIGNAL_ROWS = 8
RT_DAYS = 30
RT_SERIES = "health.cases_by_onset"


def signals_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """The newest signals under ``area`` not closed, up to eight: where, what, which method."""
    if not has(user, area):
        return None
    signals = (
        Signal.objects.filter(visible_q(user), area__code__startswith=area.code, first_day__lte=day)
        .exclude(state=SignalState.CLOSED)
        .select_related("area")
        .order_by("-last_day", "-opened_at", "-id")[:SIGNAL_ROWS]
    )
    return {
        "rows": [
            {
                "label": f"{s.area.name} · {series_label(s.series)}",
                "value": f"{s.get_method_display()} · {s.first_day:%m-%d}–{s.last_day:%m-%d}",
            }
            for s in signals
        ],
        "empty": gettext("No signal open"),
    }


def rt_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """The reproduction number of the cases by onset in ``area`` (the district or a town) for
    the 7-day windows ending on the last 30 days: mean and 95 % interval."""
    if not has(user, area):
        return None
    since = day - datetime.timedelta(days=RT_DAYS - 1)
    estimates = {
        e.day: e
        for e in RtEstimate.objects.filter(
            series=RT_SERIES, area=area, day__gte=since, day__lte=day
        )
    }
    axis = [since + datetime.timedelta(days=n) for n in range(RT_DAYS)]

    def values(field: str) -> list[float | None]:
        return [round(getattr(estimates[d], field), 2) if d in estimates else None for d in axis]

    return {
        "x": [d.isoformat() for d in axis],
        "series": [
            {"name": gettext("Rt (mean)"), "values": values("mean")},
            {"name": gettext("2.5 %"), "values": values("lower")},
            {"name": gettext("97.5 %"), "values": values("upper")},
        ],
        "mark": 1,
    }


PANELS = (
    Panel(
        key="prediction.signals",
        title=_("Early-warning signals"),
        track="prevention",
        chart="list",
        data=signals_panel,
        order=60,
        sight=grants_alone,
    ),
    Panel(
        key="prediction.rt",
        title=_("Reproduction number (Rt)"),
        track="prevention",
        chart="line",
        data=rt_panel,
        order=70,
        sight=grants_alone,
    ),
)
