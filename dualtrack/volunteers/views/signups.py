"""Volunteers' sign-ups (/volunteers/signups/…): the list a village reviews, one sign-up, and
approving or declining it (one small view per form)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.validators import parse_id
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.volunteers import access, selectors
from dualtrack.volunteers.forms import DeclineForm
from dualtrack.volunteers.models import Volunteer, VolunteerStatus
from dualtrack.volunteers.services import volunteers


@require_GET
@login_required
@domain_errors_as_http
def signup_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in VolunteerStatus.values else ""
    after = parse_id(request.GET.get("after", "")) or None
    page = selectors.volunteer_page_for(user=request.user, status=status, after=after)
    context = {"page": page, "status": status, "statuses": VolunteerStatus.choices}
    return render(request, "volunteers/signup_list.html", context)


def _detail(
    request: AuthenticatedRequest,
    volunteer: Volunteer,
    form: DeclineForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "volunteer": volunteer,
        "may_review": access.may_review_volunteer(request.user, volunteer)
        and volunteer.status == VolunteerStatus.PENDING,
        "decline_form": form or DeclineForm(),
    }
    return render(request, "volunteers/signup_detail.html", context, status=status)


@require_GET
@login_required
@domain_errors_as_http
def signup_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.volunteer_get_for(user=request.user, volunteer_id=pk))


@require_POST
@login_required
@never_cache
@domain_errors_as_http
def signup_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_get_for(user=request.user, volunteer_id=pk)
    try:
        approval = volunteers.volunteer_approve(actor=request.user, volunteer=volunteer)
    except DomainError as exc:
        form = DeclineForm({})
        form.is_valid()
        add_domain_error(form, exc)
        return _detail(request, volunteer, form, status=exc.status)
    return render(request, "volunteers/signup_approved.html", {"approval": approval})


@require_POST
@login_required
@domain_errors_as_http
def signup_decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_get_for(user=request.user, volunteer_id=pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            volunteers.volunteer_decline(
                actor=request.user, volunteer=volunteer, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("volunteers_signup", volunteer.pk)
    return _detail(request, volunteer, form, status=422)


urlpatterns: list[URLPattern] = [
    path("volunteers/signups/", signup_list, name="volunteers_signups"),
    path("volunteers/signups/<int:pk>/", signup_detail, name="volunteers_signup"),
    path("volunteers/signups/<int:pk>/approve/", signup_approve, name="volunteers_approve"),
    path("volunteers/signups/<int:pk>/decline/", signup_decline, name="volunteers_decline"),
]
