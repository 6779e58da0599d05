"""The district's side of resumption: the phase, sign-ups, the filing queue and decisions, the
notice, and the enterprises that have not sent their daily report."""

from __future__ import annotations

import datetime
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, query_id
from dualtrack.enterprises import access, selectors
from dualtrack.enterprises.documents import notice_pdf
from dualtrack.enterprises.figures import report_day
from dualtrack.enterprises.forms import PhaseForm, ReasonForm
from dualtrack.enterprises.models import FilingStatus
from dualtrack.enterprises.services import filings, signups
from dualtrack.enterprises.services.filings import GAP_LABELS
from dualtrack.enterprises.views.common import download

# The oldest filings awaiting a decision come first; the list of all filings is paged.
QUEUE_SHOWN = 200
FILINGS_PER_PAGE = 100


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def phase(request: AuthenticatedRequest) -> HttpResponse:
    """The phase in force, its history, and (for HQ and the administrator) a form to change it."""
    access.require_staff(request.user)
    can_set = access.registry_permissions(request.user).set_phase
    form = PhaseForm(request.POST or None) if can_set else None
    if request.method == "POST":
        access.require_set_phase(request.user)
        form = PhaseForm(request.POST)
        if form.is_valid():
            try:
                filings.phase_set(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The district's phase is set."))
                return redirect("enterprise_phase")
    context = {
        "current": selectors.current_phase(),
        "history": selectors.phase_history()[:50],
        "form": form,
    }
    return render(request, "enterprises/phase.html", context)


@require_GET
@login_required
@domain_errors_as_http
def signup_list(request: AuthenticatedRequest) -> HttpResponse:
    """Sign-ups awaiting the user's towns."""
    access.require_staff(request.user)
    context = {"signups": selectors.signup_list_for(user=request.user)[:200], "form": ReasonForm()}
    return render(request, "enterprises/signup_list.html", context)


@require_POST
@login_required
@domain_errors_as_http
def signup_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    signup = selectors.signup_get_for(user=request.user, signup_id=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        signups.signup_decide(
            actor=request.user,
            signup=signup,
            approve=approve,
            reason=request.POST.get("reason", ""),
        )
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        done = _("Sign-up of %(name)s approved.") if approve else _("Sign-up of %(name)s rejected.")
        messages.success(request, done % {"name": signup.enterprise.name})
    return redirect("enterprise_signups")


def _error_text(exc: DomainError) -> str:
    return " ".join(str(e["message"]) for e in exc.errors) or str(exc.message)


@require_GET
@login_required
@domain_errors_as_http
def filing_list(request: AuthenticatedRequest) -> HttpResponse:
    """The filings awaiting the user's decision, and the latest of all in scope."""
    access.require_staff(request.user)
    status = request.GET.get("status", "")
    queue = list(selectors.filing_queue_for(user=request.user)[: QUEUE_SHOWN + 1])
    page = Paginator(
        selectors.filing_list_for(
            user=request.user, status=status if status in FilingStatus.values else ""
        ),
        FILINGS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "queue": queue[:QUEUE_SHOWN],
        "queue_cut": len(queue) > QUEUE_SHOWN,
        "queue_shown": QUEUE_SHOWN,
        "filings": page,
        "statuses": FilingStatus.choices,
        "status": status,
    }
    return render(request, "enterprises/filing_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def filing_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One filing with its checklist, gaps and history; the town or the group decides here."""
    access.require_staff(request.user)
    filing = selectors.filing_get_for(user=request.user, filing_id=pk)
    can_decide = access.may_decide_filing(request.user, filing)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        access.require_may_decide_filing(request.user, filing)
        try:
            if request.POST.get("decision") == "return":
                filings.filing_return(
                    actor=request.user, filing=filing, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("The filing was returned to the enterprise."))
            else:
                # The step the page showed, so that a second click (or a colleague's decision
                # meanwhile) is refused instead of deciding the next step.
                decide = (
                    filings.filing_approve
                    if request.POST.get("step") == FilingStatus.GROUP_APPROVAL
                    else filings.filing_review
                )
                filing = decide(actor=request.user, filing=filing)
                messages.success(
                    request,
                    _("Approved: notice %(number)s issued.") % {"number": filing.notice_number}
                    if filing.notice_number
                    else _("Passed on to the working group."),
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("enterprise_filing", pk=filing.pk)
    context = {
        "filing": filing,
        "gaps": [_(GAP_LABELS[g]) for g in filing.gaps if g in GAP_LABELS],
        "events": filing.events.select_related("actor"),
        "can_decide": can_decide,
        "form": form,
    }
    return render(request, "enterprises/filing_detail.html", context)


@require_GET
@login_required
@domain_errors_as_http
def filing_notice(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The resumption notice (PDF); for district staff and the enterprise itself."""
    filing = selectors.filing_get_for(user=request.user, filing_id=pk)
    if not filing.is_granted:
        raise NotFound()
    return download(notice_pdf(filing), f"{filing.notice_number}.pdf", "application/pdf")


@require_GET
@login_required
@domain_errors_as_http
def filing_plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A filing's prevention plan, for those who see the filing: the town reviewing it, the
    working group, and the enterprise itself."""
    filing = selectors.filing_get_for(user=request.user, filing_id=pk)
    if not filing.plan_file:
        raise NotFound()
    name = (filing.plan_file.name or "plan").rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    with filing.plan_file.open("rb") as handle:
        return download(handle.read(), name, content_type)


@require_GET
@login_required
@domain_errors_as_http
def missing_reports(request: AuthenticatedRequest) -> HttpResponse:
    """Resumed enterprises that have not reported a day's workers on duty (yesterday's)."""
    access.require_staff(request.user)
    default = report_day()
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = default
    context = {
        "day": day,
        "enterprises": selectors.missing_reports_for(
            user=request.user, date=day, town_id=query_id(request, "town")
        )[:500],
        "towns": selectors.town_options_for(user=request.user),
        "town": request.GET.get("town", ""),
    }
    return render(request, "enterprises/missing_reports.html", context)


urlpatterns: list[URLPattern] = [
    path("enterprises/phase/", phase, name="enterprise_phase"),
    path("enterprises/signups/", signup_list, name="enterprise_signups"),
    path("enterprises/signups/<int:pk>/decision/", signup_decide, name="enterprise_signup_decide"),
    path("enterprises/filings/", filing_list, name="enterprise_filings"),
    path("enterprises/filings/<int:pk>/", filing_detail, name="enterprise_filing"),
    path("enterprises/filings/<int:pk>/notice.pdf", filing_notice, name="enterprise_notice"),
    path("enterprises/filings/<int:pk>/plan/", filing_plan, name="enterprise_filing_plan"),
    path("enterprises/reports/missing/", missing_reports, name="enterprise_missing_reports"),
]
