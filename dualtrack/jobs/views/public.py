"""The public fair pages (/fairs/…), open without an account, made for a phone: the fairs, a
fair's postings filtered and paged, a posting with its application form, the one-time code,
the job seeker's personal link, an introducer's own registration. Every form post is
rate-limited per client address (``jobs.throttle``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import domain_errors_as_http, is_htmx
from dualtrack.jobs import selectors, throttle, transport_selectors
from dualtrack.jobs.downloads import attachment
from dualtrack.jobs.forms import ApplyForm, CodeForm, IntroducerForm, PostingFilterForm, ReasonForm
from dualtrack.jobs.models import Fair, Posting
from dualtrack.jobs.services import applying, introducers, tickets
from dualtrack.jobs.services.codes import Issued

TOO_MANY = "jobs/public_too_many.html"


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, TOO_MANY, {}, status=429)


@require_GET
def fair_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    fairs = [(f, f.state_on(today)) for f in selectors.public_fairs()[:50]]
    return render(request, "jobs/public_fairs.html", {"fairs": fairs})


def _filters(form: PostingFilterForm) -> tuple[selectors.PostingFilter, int]:
    if not form.is_valid():
        return selectors.PostingFilter(), 0
    data = form.cleaned_data
    return (
        selectors.PostingFilter(data["industry"], data["town"], data["pay"], data["q"] or ""),
        data["after"] or 0,
    )


@require_GET
@domain_errors_as_http
def fair_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A fair's open postings, filtered by industry, town, pay and keywords; a page at a time,
    newest first (keyset: ``after`` is the last posting of the page before)."""
    fair = selectors.public_fair_get(fair_id=pk)
    form = PostingFilterForm(request.GET)
    filters, after = _filters(form)
    page = selectors.public_posting_page(fair=fair, filters=filters, after=after)
    more = request.GET.copy()
    more["after"] = str(page.next_after or "")
    context: dict[str, Any] = {
        "fair": fair,
        "state": fair.state_on(timezone.localdate()),
        "form": form,
        "page": page,
        "more_query": more.urlencode(),
        "first_page": not after,
    }
    template = "jobs/public_fair.html"
    return render(request, f"{template}#postings" if is_htmx(request) else template, context)


def _posting_page(
    request: HttpRequest, posting: Posting, form: ApplyForm, *, status: int = 200
) -> HttpResponse:
    fair: Fair | None = posting.fair
    context = {
        "posting": posting,
        "form": form,
        "open": _takes_applications(posting),
        "fair_state": fair.state_on(timezone.localdate()) if fair else None,
    }
    return render(request, "jobs/public_posting.html", context, status=status)


def _takes_applications(posting: Posting) -> bool:
    try:
        applying.require_takes_applications(posting)
    except DomainError:
        return False
    return True


def _code_page(
    request: HttpRequest, issued: Issued | None, form: CodeForm, *, action: str, status: int = 200
) -> HttpResponse:
    context = {"form": form, "shown_code": issued.shown_code if issued else "", "action": action}
    return render(request, "jobs/public_code.html", context, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
@domain_errors_as_http
def posting_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A posting and its application form; the form's answer is the page asking for the code."""
    posting = selectors.public_posting_get(posting_id=pk)
    if request.method != "POST":
        return _posting_page(request, posting, ApplyForm())
    form = ApplyForm(request.POST)
    if not throttle.allow(request):
        return _too_many(request)
    if not form.is_valid():
        return _posting_page(request, posting, form, status=422)
    try:
        data = applying.clean_application(**form.cleaned_data)
        _application, issued = applying.application_start(posting_id=posting.pk, data=data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _posting_page(request, posting, form, status=exc.status)
    code_form = CodeForm(initial={"key": issued.key})
    return _code_page(request, issued, code_form, action=reverse("fair_verify"))


@require_POST
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The code of an application: it is submitted, and the personal link is shown."""
    if not throttle.allow(request):
        return _too_many(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            application = applying.application_verify(**form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return _code_page(request, None, form, action=reverse("fair_verify"), status=exc.status)
        link = reverse("fair_seeker", args=[application.applicant.link_token])
        context = {"application": application, "link": request.build_absolute_uri(link)}
        return render(request, "jobs/public_applied.html", context)
    return _code_page(request, None, form, action=reverse("fair_verify"), status=422)


@require_GET
@never_cache
@domain_errors_as_http
def seeker(request: HttpRequest, token: str) -> HttpResponse:
    """The job seeker's personal link: the state of each of their applications."""
    if not throttle.allow(request):
        return _too_many(request)
    applicant = applying.applicant_for_link(token)
    context = {
        "applicant": applicant,
        "applications": list(selectors.applications_of(applicant=applicant)[:100]),
        "tickets": list(transport_selectors.tickets_of_worker(applicant=applicant)[:20]),
        "token": token,
        "reason_form": ReasonForm(),
    }
    return render(request, "jobs/public_seeker.html", context)


@require_GET
@never_cache
@domain_errors_as_http
def seeker_ticket(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """The worker's own self-travel ticket, through their personal link (audited)."""
    if not throttle.allow(request):
        return _too_many(request)
    applicant = applying.applicant_for_link(token)
    ticket = transport_selectors.ticket_of_worker(applicant=applicant, ticket_id=pk)
    return attachment(tickets.ticket_file_open_by_worker(ticket=ticket))


@require_POST
@never_cache
@domain_errors_as_http
def seeker_withdraw(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    if not throttle.allow(request):
        return _too_many(request)
    applicant = applying.applicant_for_link(token)
    form = ReasonForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            applying.application_withdraw_by_seeker(
                token=token, application_id=pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            error = str(exc.errors[0]["message"] if exc.errors else exc.message)
    else:
        error = _("Give a reason for withdrawing.")
    context = {
        "applicant": applicant,
        "applications": list(selectors.applications_of(applicant=applicant)[:100]),
        "token": token,
        "reason_form": ReasonForm(),
        "error": error,
    }
    return render(request, "jobs/public_seeker.html", context, status=422 if error else 200)


@require_http_methods(["GET", "POST"])
@never_cache
def introducer_register(request: HttpRequest) -> HttpResponse:
    """A person or organisation registers as an introducer; they count once the code is in."""
    form = IntroducerForm(request.POST or None)
    if request.method == "POST":
        if not throttle.allow(request):
            return _too_many(request)
        if form.is_valid():
            try:
                data = introducers.clean_introducer(**form.cleaned_data)
                _introducer, issued = introducers.introducer_self_register(data=data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                code_form = CodeForm(initial={"key": issued.key})
                return _code_page(
                    request, issued, code_form, action=reverse("fair_introducer_verify")
                )
        status = 422
    else:
        status = 200
    return render(request, "jobs/public_introducer.html", {"form": form}, status=status)


@require_POST
@never_cache
def introducer_verify(request: HttpRequest) -> HttpResponse:
    if not throttle.allow(request):
        return _too_many(request)
    form = CodeForm(request.POST)
    action = reverse("fair_introducer_verify")
    if form.is_valid():
        try:
            introducer = introducers.introducer_verify(**form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return _code_page(request, None, form, action=action, status=exc.status)
        return render(request, "jobs/public_introducer_done.html", {"introducer": introducer})
    return _code_page(request, None, form, action=action, status=422)


urlpatterns: list[URLPattern] = [
    path("fairs/", fair_index, name="fair_index"),
    path("fairs/<int:pk>/", fair_page, name="fair_page"),
    path("fairs/postings/<int:pk>/", posting_page, name="fair_posting"),
    path("fairs/verify/", verify, name="fair_verify"),
    path("fairs/me/<str:token>/", seeker, name="fair_seeker"),
    path("fairs/me/<str:token>/<int:pk>/withdraw/", seeker_withdraw, name="fair_seeker_withdraw"),
    path("fairs/me/<str:token>/tickets/<int:pk>/", seeker_ticket, name="fair_seeker_ticket"),
    path("fairs/introducers/register/", introducer_register, name="fair_introducer_register"),
    path("fairs/introducers/verify/", introducer_verify, name="fair_introducer_verify"),
]
