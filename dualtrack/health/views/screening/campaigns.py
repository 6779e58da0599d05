"""The campaigns' pages: the list and the open form (the prevention group), a campaign's
coverage drilled down from town to group with its chart, the households not yet visited and the
residents not yet covered (不漏一户一人), closing, and the import of paper results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.areas.access import area_get_for_write, may_manage_anywhere
from dualtrack.areas.scoping import Permission
from dualtrack.areas.selectors import area_get_for, area_options_for
from dualtrack.core.errors import DomainError, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, is_htmx, query_id
from dualtrack.health.access.screening import CampaignAbility, campaign_permissions
from dualtrack.health.forms.screening import CampaignForm, ImportForm
from dualtrack.health.selectors import screening as selectors
from dualtrack.health.services import screening as services
from dualtrack.health.services import screening_import

LIST_SHOWN = 50


def _area_choices(request: AuthenticatedRequest) -> list[tuple[int, str]]:
    options = area_options_for(
        user=request.user, permission=Permission.MANAGE_CAMPAIGNS, with_root=True
    )
    return [
        (a.pk, ("　" * (len(a.code) > 2) + ("　" * (len(a.code) > 4)) + a.name)) for a in options
    ]


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def campaign_list(request: AuthenticatedRequest) -> HttpResponse:
    """The campaigns in the user's sight; the open form for those who may open one."""
    may_open = may_manage_anywhere(request.user, Permission.MANAGE_CAMPAIGNS)
    form = None
    if may_open:
        form = CampaignForm(request.POST or None, area_choices=_area_choices(request))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            data = form.cleaned_data
            try:
                areas = [
                    area_get_for_write(user=request.user, area_id=pk, field="areas")
                    for pk in data["areas"]
                ]
                campaign = services.campaign_open(
                    actor=request.user,
                    name=data["name"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    areas=areas,
                    asks_presence=data["asks_presence"],
                    asks_travel=data["asks_travel"],
                    asks_symptoms=data["asks_symptoms"],
                    asks_temperature=data["asks_temperature"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Campaign %(name)s opened.") % {"name": campaign.name})
                return redirect("health_screening_campaign", pk=campaign.pk)
    campaigns = list(selectors.campaign_list_for(user=request.user)[:LIST_SHOWN])
    areas_of = selectors.campaign_areas_of(campaigns)
    rows = [
        {
            "campaign": c,
            "areas": areas_of[c.pk],
            "permissions": campaign_permissions(request.user, c),
        }
        for c in campaigns
    ]
    status = 422 if request.method == "POST" else 200
    return render(
        request, "health/screening/campaigns.html", {"rows": rows, "form": form}, status=status
    )


def _campaign(request: AuthenticatedRequest, pk: int) -> Any:
    return selectors.campaign_get_for(user=request.user, campaign_id=pk)


def _area(request: AuthenticatedRequest) -> Any:
    area_id = query_id(request, "area")
    return area_get_for(user=request.user, area_id=area_id) if area_id else None


def _chart(report: selectors.CoverageReport) -> dict[str, Any]:
    return {
        "labels": [r.name for r in report.rows],
        "households": [r.households_percent for r in report.rows],
        "residents": [r.residents_percent for r in report.rows],
        "householdsLabel": _("Households visited (%)"),
        "residentsLabel": _("Residents covered (%)"),
    }


@require_GET
@login_required
@domain_errors_as_http
def campaign_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A campaign's coverage one level below the chosen area (town → village → group)."""
    campaign = _campaign(request, pk)
    report = selectors.coverage_for(user=request.user, campaign=campaign, area=_area(request))
    context = {
        "campaign": campaign,
        "areas": selectors.campaign_areas(campaign),
        "report": report,
        "chart": _chart(report),
        "permissions": campaign_permissions(request.user, campaign),
    }
    template = "health/screening/campaign.html"
    if is_htmx(request):
        template += "#coverage"
    return render(request, template, context)


@require_POST
@login_required
@domain_errors_as_http
def campaign_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    try:
        services.campaign_close(actor=request.user, campaign=campaign)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Campaign %(name)s closed.") % {"name": campaign.name})
    return redirect("health_screening_campaign", pk=pk)


@require_GET
@login_required
@domain_errors_as_http
def households_unvisited(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """不漏一户: the households not yet visited, a page at a time."""
    campaign = _campaign(request, pk)
    area = _area(request)
    after = query_id(request, "after") or 0
    items = selectors.households_unvisited_for(
        user=request.user, campaign=campaign, area=area, after_id=after, limit=LIST_SHOWN
    )
    context = {
        "campaign": campaign,
        "area": area,
        "items": items,
        "next_after": items[-1].pk if len(items) == LIST_SHOWN else None,
    }
    return render(request, "health/screening/unvisited.html", context)


@require_GET
@login_required
@domain_errors_as_http
def residents_uncovered(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """不漏一人: the residents not yet covered, a page at a time."""
    campaign = _campaign(request, pk)
    area = _area(request)
    after = query_id(request, "after") or 0
    items = selectors.residents_uncovered_for(
        user=request.user, campaign=campaign, area=area, after_id=after, limit=LIST_SHOWN
    )
    context = {
        "campaign": campaign,
        "area": area,
        "items": items,
        "next_after": items[-1].pk if len(items) == LIST_SHOWN else None,
    }
    return render(request, "health/screening/uncovered.html", context)


@require_GET
@login_required
@domain_errors_as_http
def household_visits(request: AuthenticatedRequest, pk: int, household_id: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    household = selectors.household_for_screening(
        user=request.user, campaign=campaign, household_id=household_id
    )
    visits = selectors.household_visits_for(
        user=request.user, campaign=campaign, household=household
    )
    return render(
        request,
        "health/screening/household.html",
        {"campaign": campaign, "household": household, "visits": visits},
    )


@require_POST
@login_required
@domain_errors_as_http
def results_template(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Make the paper form (the households to visit, one row per resident) in the background;
    the workbook downloads from the job's page."""
    campaign = _campaign(request, pk)
    return job_started(
        screening_import.results_template_start(actor=request.user, campaign=campaign)
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def results_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Import paper results in the background; the job's page lists every bad row."""
    campaign = _campaign(request, pk)
    if not campaign_permissions(request.user, campaign)[CampaignAbility.SCREEN]:
        raise PermissionDenied()
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = screening_import.results_import_start(
                actor=request.user, campaign=campaign, file=upload, filename=upload.name or ""
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return job_started(job)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "health/screening/import.html", {"campaign": campaign, "form": form}, status=status
    )
