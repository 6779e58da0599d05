"""Party branches, commando teams and deployments (/volunteers/branches/…, /teams/…,
/deployments/…): the lists in sight, a page at a time, and each record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from dualtrack.core.validators import parse_id
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.volunteers import access, selectors


def _after(request: AuthenticatedRequest) -> int | None:
    return parse_id(request.GET.get("after", "")) or None


@require_GET
@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    """The front line's home: one's own duties, and the links to what the user sees."""
    context = {
        "assignments": selectors.my_assignments(user=request.user)[:10],
        "sees": access.sees_front_line(request.user),
        "may_manage": access.may_manage_somewhere(request.user),
    }
    return render(request, "volunteers/index.html", context)


@require_GET
@login_required
def branch_list(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.branch_page_for(user=request.user, after=_after(request))
    return render(request, "volunteers/branch_list.html", {"page": page})


@require_GET
@login_required
@domain_errors_as_http
def branch_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    branch = selectors.branch_get_for(user=request.user, branch_id=pk)
    return render(request, "volunteers/branch_detail.html", {"branch": branch})


@require_GET
@login_required
def team_list(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.team_page_for(user=request.user, after=_after(request))
    return render(request, "volunteers/team_list.html", {"page": page})


@require_GET
@login_required
@domain_errors_as_http
def team_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = selectors.team_get_for(user=request.user, team_id=pk)
    return render(request, "volunteers/team_detail.html", {"team": team})


@require_GET
@login_required
def deployment_list(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.deployment_page_for(user=request.user, after=_after(request))
    return render(request, "volunteers/deployment_list.html", {"page": page})


@require_GET
@login_required
@domain_errors_as_http
def deployment_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    deployment = selectors.deployment_get_for(user=request.user, deployment_id=pk)
    return render(request, "volunteers/deployment_detail.html", {"deployment": deployment})


urlpatterns: list[URLPattern] = [
    path("volunteers/", index, name="volunteers_index"),
    path("volunteers/branches/", branch_list, name="volunteers_branches"),
    path("volunteers/branches/<int:pk>/", branch_detail, name="volunteers_branch"),
    path("volunteers/teams/", team_list, name="volunteers_teams"),
    path("volunteers/teams/<int:pk>/", team_detail, name="volunteers_team"),
    path("volunteers/deployments/", deployment_list, name="volunteers_deployments"),
    path("volunteers/deployments/<int:pk>/", deployment_detail, name="volunteers_deployment"),
]
