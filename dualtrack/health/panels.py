"""Health's panels of the wall screen (core.platform.Panel): the epidemic curve by onset and by
report date, the cases and people under quarantine now, and the screening coverage from its
maintained counters."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area
from dualtrack.areas.scoping import scope_for
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.platform import Panel, grants_alone
from dualtrack.health.access.cases import may_see_any_cases
from dualtrack.health.access.quarantine import may_see_any, sites_sight
from dualtrack.health.selectors.cases import daily_totals_for, epidemic_curve_for
from dualtrack.health.selectors.quarantine import active_count_in_sight
from dualtrack.health.selectors.screening import campaign_list_for, coverage_totals_for

CURVE_DAYS = 30


def curve_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """Counted cases per day by onset and by report date over the last 30 days."""
    if not may_see_any_cases(user):
        return None
    curve = epidemic_curve_for(user=user, until=day, days=CURVE_DAYS, area=area)
    return {
        "x": curve["days"],
        "series": [
            {"name": gettext("By onset date"), "values": curve["onset"]},
            {"name": gettext("By report date"), "values": curve["report"]},
        ],
    }


def cases_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """Cases confirmed to date, reported on ``day`` and active, and people under quarantine."""
    items = []
    if may_see_any_cases(user):
        counts = daily_totals_for(user=user, day=day, area=area)
        items += [
            {"label": gettext("Confirmed cases to date"), "value": counts["confirmed"]},
            {"label": gettext("New cases reported"), "value": counts["new"]},
            {"label": gettext("Active cases"), "value": counts["active"]},
        ]
    if may_see_any(user):
        items.append(
            {
                "label": gettext("People under quarantine"),
                "value": active_count_in_sight(user=user, on=day, area=area),
            }
        )
    return {"items": [item | {"unit": ""} for item in items]} if items else None


def screening_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """The residents covered by the newest campaign running on ``day``, in per cent, from the
    maintained counters."""
    if not scope_for(user).codes():
        return None
    campaign = campaign_list_for(user=user).filter(starts_on__lte=day, ends_on__gte=day).first()
    if campaign is None:
        return None
    try:
        total = coverage_totals_for(user=user, campaign=campaign, area=area)
    except NotFound:
        return None
    return {
        "value": total.residents_percent,
        "max": 100,
        "unit": "%",
        "label": gettext("%(covered)s of %(total)s residents · %(households)s%% of households")
        % {
            "covered": total.residents_covered,
            "total": total.residents_total,
            "households": total.households_percent,
        },
    }


PANELS = (
    Panel(
        key="health.curve",
        title=_("Epidemic curve"),
        track="prevention",
        chart="line",
        data=curve_panel,
        order=30,
        sight=grants_alone,
    ),
    Panel(
        key="health.cases",
        title=_("Cases and quarantine"),
        track="prevention",
        chart="figures",
        data=cases_panel,
        order=5,
        sight=sites_sight,  # the quarantine's: a site's staff see their sites'
    ),
    Panel(
        key="health.screening",
        title=_("Screening coverage"),
        track="prevention",
        chart="gauge",
        data=screening_panel,
        order=50,
        sight=grants_alone,
    ),
)
