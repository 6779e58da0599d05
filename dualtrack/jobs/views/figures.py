"""The recruitment figures page: postings, positions, applications, interviews and hires per
fair and per enterprise, with ECharts charts beside tables of the same figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, query_id
from dualtrack.jobs import access, selectors
from dualtrack.jobs.figures import chart_data, recruitment_figures


@require_GET
@login_required
@domain_errors_as_http
def figures(request: AuthenticatedRequest) -> HttpResponse:
    access.require_see_fairs(request.user)
    fair_id = query_id(request, "fair")
    fair = selectors.fair_get_for(user=request.user, fair_id=fair_id) if fair_id else None
    result = recruitment_figures(user=request.user, fair_id=fair_id)
    context = {"figures": result, "fair": fair, "chart": chart_data(result)}
    return render(request, "jobs/figures.html", context)


urlpatterns: list[URLPattern] = [
    path("employment/figures/", figures, name="employment_figures"),
]
