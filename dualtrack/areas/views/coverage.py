"""The coverage report (不漏一村一组、不漏一户一人、不漏一行一业): what the campaign left out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dualtrack.areas import access
from dualtrack.areas.models import Area, AreaKind, Household
from dualtrack.areas.selectors import CoverageReport, area_list_for, coverage_for
from dualtrack.core.models import User
from dualtrack.core.validators import parse_id
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http


def _chart_data(report: CoverageReport) -> dict[str, Any]:
    """The per-town gaps as ECharts wants them; the page's table holds the same figures."""
    towns = report.towns
    return {
        "towns": [row.town.name for row in towns],
        "series": [
            {
                "name": _("Villages without a liaison"),
                "data": [row.villages_without_liaison for row in towns],
            },
            {
                "name": _("Groups without a household"),
                "data": [row.groups_without_household for row in towns],
            },
            {
                "name": _("Households without a resident"),
                "data": [row.households_without_resident for row in towns],
            },
        ],
    }


def _totals(report: CoverageReport) -> dict[str, int]:
    fields = (
        "villages",
        "villages_without_liaison",
        "groups",
        "groups_without_household",
        "households",
        "households_without_resident",
        "gaps",
    )
    return {name: sum(getattr(row, name) for row in report.towns) for name in fields}


def _with_villages(user: User, households: list[Household]) -> list[tuple[Household, Area | None]]:
    """Each household with the village its group belongs to (every village has a 一组)."""
    parent_ids = {
        h.area.parent_id
        for h in households
        if h.area.kind == AreaKind.GROUP and h.area.parent_id is not None
    }
    villages = {a.pk: a for a in area_list_for(user=user).filter(pk__in=parent_ids)}
    return [(h, villages.get(h.area.parent_id or 0)) for h in households]


@require_GET
@login_required
@domain_errors_as_http
def coverage(request: AuthenticatedRequest) -> HttpResponse:
    """Gaps per town in the user's scope; with ``?town=<id>``, every gap of that town listed."""
    raw_town = request.GET.get("town", "").strip()
    if not raw_town:
        report = coverage_for(user=request.user)
        context = {
            "report": report,
            "totals": _totals(report),
            "chart": _chart_data(report),
            "district_wide": access.is_district_wide(request.user),
        }
        return render(request, "areas/coverage.html", context)

    town_id = parse_id(raw_town)
    if town_id is None:
        raise Http404()
    report = coverage_for(user=request.user, town_id=town_id)
    # coverage_for accepts any area in scope; the drill-down is by town only.
    if len(report.towns) != 1 or report.towns[0].town.pk != town_id:
        raise Http404()
    context = {
        "report": report,
        "households": _with_villages(request.user, report.households_without_resident),
        "row": report.towns[0],
        "town": report.towns[0].town,
        "can_assign_liaisons": access.permissions_on(
            request.user, report.towns[0].town
        ).manage_organisation,
    }
    return render(request, "areas/coverage_town.html", context)


urlpatterns: list[URLPattern] = [
    path("coverage/", coverage, name="coverage"),
]
