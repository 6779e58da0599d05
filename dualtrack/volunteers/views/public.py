"""The public sign-up page (/volunteers/join/), open without an account and made for a phone;
every post is rate-limited per client address (``volunteers.throttle``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.volunteers import selectors, throttle
from dualtrack.volunteers.forms import SignUpForm
from dualtrack.volunteers.services import volunteers


def _village_choices() -> list[tuple[int, str]]:
    return [
        (a.pk, f"{a.parent.name if a.parent else ''} {a.name}".strip())
        for a in selectors.sign_up_village_options().select_related("parent")[:2000]
    ]


@require_http_methods(["GET", "POST"])
@never_cache
def join(request: HttpRequest) -> HttpResponse:
    """Sign up as a volunteer: name, mobile, ID number, skills, villages, hours a week."""
    form = SignUpForm(request.POST or None, villages=_village_choices())
    status = 200
    if request.method == "POST":
        if not throttle.allow(request):
            return render(request, "volunteers/public_too_many.html", {}, status=429)
        status = 422
        if form.is_valid():
            try:
                data = volunteers.clean_sign_up(
                    name=form.cleaned_data["name"],
                    mobile=form.cleaned_data["mobile"],
                    id_number=form.cleaned_data["id_number"],
                    skills=form.cleaned_data["skills"],
                    hours_per_week=form.cleaned_data["hours_per_week"],
                    village_ids=form.cleaned_data["villages"],
                )
                volunteer = volunteers.volunteer_sign_up(data=data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return render(request, "volunteers/public_done.html", {"volunteer": volunteer})
    return render(request, "volunteers/public_join.html", {"form": form}, status=status)


urlpatterns: list[URLPattern] = [path("volunteers/join/", join, name="volunteers_join")]
