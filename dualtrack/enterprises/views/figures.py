"""The resumption figures page (charts, drill-down to a town) and its Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, query_id
from dualtrack.enterprises import access
from dualtrack.enterprises.figures import Figures, figures_chart_data, figures_for
from dualtrack.enterprises.services.sheets import Column, workbook_bytes
from dualtrack.enterprises.views.common import download


def _figures(request: AuthenticatedRequest) -> Figures:
    access.require_staff(request.user)
    return figures_for(user=request.user, town_id=query_id(request, "town"))


@require_GET
@login_required
@domain_errors_as_http
def figures(request: AuthenticatedRequest) -> HttpResponse:
    """Filed, approved, resumed; workers on duty against the normal workforce; by town,
    industry and scale; day by day."""
    result = _figures(request)
    context = {"figures": result, "chart": figures_chart_data(result)}
    return render(request, "enterprises/figures.html", context)


@require_GET
@login_required
@domain_errors_as_http
def figures_export(request: AuthenticatedRequest) -> HttpResponse:
    """The same figures as a workbook: one row per town, section and size class, then by day."""
    result = _figures(request)
    columns = (
        Column("group", _("Breakdown"), "breakdown"),
        Column("label", _("Name"), "name"),
        Column("enterprises", _("Enterprises"), "enterprises"),
        Column("filed", _("Filed"), "filed"),
        Column("approved", _("Approved"), "approved"),
        Column("resumed", _("Resumed"), "resumed"),
        Column("rate", _("Resumption rate %"), "rate"),
        Column("normal", _("Normal workforce"), "normal"),
        Column("on_duty", _("Workers on duty"), "on duty"),
        Column("workforce_rate", _("Workforce rate %"), "workforce rate"),
    )
    rows = []
    groups = [
        (_("Total"), [result.total, result.above_scale]),
        (_("Town"), result.by_town),
        (_("Industry"), result.by_sector),
        (_("Size class"), result.by_size),
    ]
    for group, tallies in groups:
        for t in tallies:
            rows.append(
                [
                    group,
                    t.label,
                    t.enterprises,
                    t.filed,
                    t.approved,
                    t.resumed,
                    t.resumption_rate,
                    t.normal_workforce,
                    t.workers_on_duty,
                    t.workforce_rate,
                ]
            )
    for point in result.series:
        rows.append(
            [
                _("Day"),
                point["date"],
                point["enterprises"],
                point["filed"],
                point["approved"],
                point["resumed"],
                point["resumption_rate"],
                point["normal_workforce"],
                point["workers_on_duty"],
                None,
            ]
        )
    name = _("resumption-figures") + f"-{result.as_of.isoformat()}.xlsx"
    return download(workbook_bytes(_("Figures"), columns, rows), name)


urlpatterns: list[URLPattern] = [
    path("enterprises/figures/", figures, name="enterprise_figures"),
    path("enterprises/figures/export.xlsx", figures_export, name="enterprise_figures_export"),
]
