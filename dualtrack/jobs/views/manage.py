"""The employment pages of staff and enterprises (/employment/…): the fairs, opening one and
naming its enterprises, the postings in sight, posting a vacancy, a posting with its applicants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, query_id
from dualtrack.enterprises.selectors import enterprise_list_for
from dualtrack.jobs import access, selectors
from dualtrack.jobs.figures import recruitment_figures
from dualtrack.jobs.forms import EnterpriseCodesForm, FairForm, PostingForm
from dualtrack.jobs.models import FairState
from dualtrack.jobs.services import fairs, postings

PAGE = 50


def _enterprises_by_codes(request: AuthenticatedRequest, text: str) -> list[Any]:
    """The enterprises named by credit code, one a line; a code out of sight or unknown is named
    in the message (it does not say whether the enterprise exists)."""
    codes = [line.strip().upper() for line in text.splitlines() if line.strip()]
    found = list(enterprise_list_for(user=request.user).filter(credit_code__in=codes))
    missing = sorted(set(codes) - {e.credit_code for e in found})
    if missing:
        raise ValidationFailed.for_field(
            "credit_codes",
            _("No enterprise in your scope has the code: %(codes)s.")
            % {"codes": "、".join(missing[:5])},
        )
    return found


def _refusal_as_message(request: AuthenticatedRequest, step: Callable[[], object]) -> None:
    """Take a one-button step; a refusal (already closed) is said on the page it returns to."""
    try:
        step()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))


@require_GET
@login_required
@domain_errors_as_http
def index(request: AuthenticatedRequest) -> HttpResponse:
    access.require_see_fairs(request.user)
    today = timezone.localdate()
    fair_rows = [(f, f.state_on(today)) for f in selectors.fair_list_for(user=request.user)[:100]]
    context = {
        "fairs": fair_rows,
        "may_manage": access.may_manage_fairs(request.user),
        "recruits": access.recruits_somewhere(request.user),
    }
    return render(request, "jobs/index.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def fair_new(request: AuthenticatedRequest) -> HttpResponse:
    access.require_manage_fairs(request.user)
    form = FairForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                enterprises = _enterprises_by_codes(request, values.pop("credit_codes"))
                fair = fairs.fair_create(
                    actor=request.user, data=fairs.clean_fair(**values), enterprises=enterprises
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("employment_fair", fair.pk)
    return render(request, "jobs/fair_form.html", {"form": form}, status=status)


def _fair_page(
    request: AuthenticatedRequest, pk: int, codes_form: EnterpriseCodesForm, status: int = 200
) -> HttpResponse:
    fair = selectors.fair_get_for(user=request.user, fair_id=pk)
    context = {
        "fair": fair,
        "state": fair.state_on(timezone.localdate()),
        "enterprise_count": fair.enterprises.count(),
        "postings": list(selectors.posting_list_for(user=request.user, fair_id=fair.pk)[:PAGE]),
        "figures": recruitment_figures(user=request.user, fair_id=fair.pk),
        "may_manage": access.may_manage_fairs(request.user),
        "codes_form": codes_form,
        "closed": fair.state_on(timezone.localdate()) == FairState.CLOSED,
    }
    return render(request, "jobs/fair_detail.html", context, status=status)


@require_GET
@login_required
@domain_errors_as_http
def fair_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _fair_page(request, pk, EnterpriseCodesForm())


@require_POST
@login_required
@domain_errors_as_http
def fair_add_enterprises(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    fair = selectors.fair_get_for(user=request.user, fair_id=pk)
    access.require_manage_fairs(request.user)
    form = EnterpriseCodesForm(request.POST)
    if form.is_valid():
        try:
            added = _enterprises_by_codes(request, form.cleaned_data["credit_codes"])
            fairs.fair_set_enterprises(
                actor=request.user, fair=fair, enterprises=[*fair.enterprises.all(), *added]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("employment_fair", fair.pk)
    return _fair_page(request, pk, form, status=422)


@require_POST
@login_required
@domain_errors_as_http
def fair_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    fair = selectors.fair_get_for(user=request.user, fair_id=pk)
    _refusal_as_message(request, lambda: fairs.fair_close(actor=request.user, fair=fair))
    return redirect("employment_fair", fair.pk)


@require_GET
@login_required
@domain_errors_as_http
def posting_list(request: AuthenticatedRequest) -> HttpResponse:
    """The postings in sight, newest first, a keyset page at a time."""
    access.require_see_fairs(request.user)
    fair_id = query_id(request, "fair")
    qs = selectors.posting_list_for(
        user=request.user, fair_id=fair_id, status=request.GET.get("status", "")[:10]
    )
    after = query_id(request, "after")
    if after:
        qs = qs.filter(pk__lt=after)
    rows = list(qs[: PAGE + 1])
    more = rows[PAGE - 1].pk if len(rows) > PAGE else None
    context = {
        "postings": rows[:PAGE],
        "more": more,
        "fair_id": fair_id,
        "recruits": access.recruits_somewhere(request.user),
    }
    return render(request, "jobs/posting_list.html", context)


def _posting_form(request: AuthenticatedRequest, data: Any = None) -> PostingForm:
    today = timezone.localdate()
    # The district's thousands of enterprises: their ids and names, not whole rows (whose
    # contact phones are decrypted one by one).
    enterprises = list(
        selectors.recruiting_enterprises_for(user=request.user).values_list("pk", "name")
    )
    fair_choices = [
        (f.pk, f.title)
        for f in selectors.fair_list_for(user=request.user)
        if f.state_on(today) in (FairState.OPEN, FairState.UPCOMING)
    ]
    initial: dict[str, Any] = {}
    fair_id = query_id(request, "fair")
    if fair_id:
        initial["fair"] = fair_id
    return PostingForm(data, enterprises=enterprises, fairs=fair_choices, initial=initial)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def posting_new(request: AuthenticatedRequest) -> HttpResponse:
    if not access.recruits_somewhere(request.user):
        access.require_see_fairs(request.user)
        raise PermissionDenied()
    form = _posting_form(request, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                enterprise = selectors.recruiting_enterprises_for(user=request.user).get(
                    pk=values.pop("enterprise")
                )
                fair_id, town_id = values.pop("fair"), values.pop("town")
                fair = (
                    selectors.fair_get_for_write(user=request.user, fair_id=fair_id, field="fair")
                    if fair_id
                    else None
                )
                town = (
                    selectors.town_get_for_write(user=request.user, town_id=town_id, field="town")
                    if town_id
                    else None
                )
                posting = postings.posting_create(
                    actor=request.user,
                    enterprise=enterprise,
                    fair=fair,
                    town=town,
                    data=postings.clean_posting(**values),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("employment_posting", posting.pk)
    return render(request, "jobs/posting_form.html", {"form": form}, status=status)


@require_GET
@login_required
@domain_errors_as_http
def posting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    posting = selectors.posting_get_for(user=request.user, posting_id=pk)
    applications = list(
        selectors.application_list_for(user=request.user, posting_id=posting.pk)[:200]
    )
    context = {
        "posting": posting,
        "applications": applications,
        "may_recruit": access.may_recruit(request.user, posting.enterprise),
    }
    return render(request, "jobs/posting_detail.html", context)


@require_POST
@login_required
@domain_errors_as_http
def posting_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    posting = selectors.posting_get_for(user=request.user, posting_id=pk)
    _refusal_as_message(
        request, lambda: postings.posting_close(actor=request.user, posting=posting)
    )
    return redirect("employment_posting", posting.pk)


urlpatterns: list[URLPattern] = [
    path("employment/", index, name="employment_index"),
    path("employment/fairs/new/", fair_new, name="employment_fair_new"),
    path("employment/fairs/<int:pk>/", fair_detail, name="employment_fair"),
    path(
        "employment/fairs/<int:pk>/enterprises/",
        fair_add_enterprises,
        name="employment_fair_enterprises",
    ),
    path("employment/fairs/<int:pk>/close/", fair_close, name="employment_fair_close"),
    path("employment/postings/", posting_list, name="employment_postings"),
    path("employment/postings/new/", posting_new, name="employment_posting_new"),
    path("employment/postings/<int:pk>/", posting_detail, name="employment_posting"),
    path("employment/postings/<int:pk>/close/", posting_close, name="employment_posting_close"),
]
