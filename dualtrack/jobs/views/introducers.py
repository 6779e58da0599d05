"""Introducers (/employment/introducers/…): the list, registering one (the group), and an
introducer's page — the workers brought per enterprise and the count of qualifying hires."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.jobs import access, selectors
from dualtrack.jobs.forms import IntroducerForm
from dualtrack.jobs.services import introducers


@require_GET
@login_required
@domain_errors_as_http
def introducer_list(request: AuthenticatedRequest) -> HttpResponse:
    access.require_see_introducers(request.user)
    context = {
        "introducers": list(selectors.introducer_list_for(user=request.user)[:500]),
        "may_manage": access.may_manage_fairs(request.user),
        "threshold": selectors.REWARD_HIRES,
    }
    return render(request, "jobs/introducer_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def introducer_new(request: AuthenticatedRequest) -> HttpResponse:
    access.require_manage_introducers(request.user)
    form = IntroducerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                introducer = introducers.introducer_register(
                    actor=request.user, data=introducers.clean_introducer(**form.cleaned_data)
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("employment_introducer", introducer.pk)
    return render(request, "jobs/introducer_form.html", {"form": form}, status=status)


@require_GET
@login_required
@domain_errors_as_http
def introducer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    introducer = selectors.introducer_get_for(user=request.user, introducer_id=pk)
    context = {
        "introducer": introducer,
        "counts": selectors.introducer_counts(introducer=introducer),
        "introductions": list(selectors.introduction_list(introducer=introducer)[:200]),
        "threshold": selectors.REWARD_HIRES,
    }
    return render(request, "jobs/introducer_detail.html", context)


urlpatterns: list[URLPattern] = [
    path("employment/introducers/", introducer_list, name="employment_introducers"),
    path("employment/introducers/new/", introducer_new, name="employment_introducer_new"),
    path("employment/introducers/<int:pk>/", introducer_detail, name="employment_introducer"),
]
