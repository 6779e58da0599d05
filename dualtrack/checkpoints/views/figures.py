"""Figures of the checkpoints: today's people in and out, fevers, alerts open and handled, the
median minutes to handle, and 14-day charts; drill down district → town → checkpoint."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dualtrack.areas.selectors import area_get_for
from dualtrack.checkpoints.access import checkpoint_abilities
from dualtrack.checkpoints.figures import (
    DayFigure,
    figures_by_day,
    figures_children_for,
    figures_for,
    figures_towns_above,
)
from dualtrack.checkpoints.forms import ExportForm
from dualtrack.checkpoints.selectors.checkpoints import checkpoint_get_for
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, query_id

CHART_DAYS = 14
CHILDREN_SHOWN = 60


def chart_data(days: list[DayFigure]) -> dict[str, Any]:
    """The 14-day series for figures.js (the table on the page shows the same numbers)."""
    return {
        "days": [f"{d.day:%m-%d}" for d in days],
        "series": [
            {"name": _("In"), "key": "people_in", "data": [d.people_in for d in days]},
            {"name": _("Out"), "key": "people_out", "data": [d.people_out for d in days]},
        ],
        "alerts": [
            {"name": _("Fevers"), "data": [d.fevers for d in days]},
            {"name": _("Risk-area arrivals"), "data": [d.risk_arrivals for d in days]},
            {"name": _("Alerts raised"), "data": [d.alerts_raised for d in days]},
            {"name": _("Alerts handled"), "data": [d.alerts_handled for d in days]},
        ],
        "titles": {"people": _("People in and out"), "alerts": _("Fevers and alerts")},
    }


@require_GET
@login_required
@domain_errors_as_http
def checkpoint_figures(request: AuthenticatedRequest) -> HttpResponse:
    """Today's figures and the last 14 days for all the user sees, a town or village, or one
    checkpoint; below, the same figures for each town (or checkpoint) to drill down."""
    user = request.user
    checkpoint_id = query_id(request, "checkpoint")
    area_id = query_id(request, "area")
    checkpoint = (
        checkpoint_get_for(user=user, checkpoint_id=checkpoint_id) if checkpoint_id else None
    )
    area = area_get_for(user=user, area_id=area_id) if area_id and not checkpoint else None
    today = timezone.localdate()
    figures = figures_for(user=user, checkpoint=checkpoint, area=area, day=today)
    days = figures_by_day(user=user, checkpoint=checkpoint, area=area, days=CHART_DAYS)

    children = figures_children_for(
        user=user, checkpoint=checkpoint, area=area, day=today, limit=CHILDREN_SHOWN
    )
    breadcrumb = [
        (_("All my checkpoints"), ""),
        *figures_towns_above(user=user, checkpoint=checkpoint, area=area),
    ]

    can_export = (
        checkpoint is not None and checkpoint_abilities(user, checkpoint).view_personal_data
    )
    context = {
        "checkpoint": checkpoint,
        "area": area,
        "today": today,
        "figures": figures,
        "days": days,
        "chart": chart_data(days),
        "children": children,
        "breadcrumb": breadcrumb,
        "can_export": can_export,
        "export_form": ExportForm(
            initial={"since": today - datetime.timedelta(days=CHART_DAYS - 1), "until": today}
        )
        if can_export
        else None,
    }
    return render(request, "checkpoints/figures.html", context)


urlpatterns: list[URLPattern] = [
    path("checkpoints/figures/", checkpoint_figures, name="checkpoint_figures"),
]
