"""The enterprise portal (/portal/): sign-up, and for an approved login its own enterprise only:
profile, roster, filings, daily reports and notices. Any other enterprise's page is 404."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import DomainError, NotFound
from dualtrack.core.forms import add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.enterprises import selectors
from dualtrack.enterprises.figures import report_day
from dualtrack.enterprises.forms import (
    DailyReportForm,
    EmployeeForm,
    FilingForm,
    ImportForm,
    PlanForm,
    SignupForm,
)
from dualtrack.enterprises.models import (
    Employee,
    Enterprise,
    ResumptionFiling,
    ResumptionStatus,
)
from dualtrack.enterprises.services import filings, reports, roster, signups
from dualtrack.enterprises.services.filings import GAP_LABELS
from dualtrack.enterprises.views.common import download

ROSTER_PAGE = 50


@require_http_methods(["GET", "POST"])
@never_cache
def signup(request: AuthenticatedRequest) -> HttpResponse:
    """Public: an enterprise in the registry asks for a login; the town approves it."""
    form = SignupForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_again"}
        try:
            done = signups.signup_submit(**data)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "enterprises/portal_signup.html", {"form": form, "done": done})


def _own(request: AuthenticatedRequest) -> Enterprise:
    return selectors.portal_enterprise_for(user=request.user)


@require_GET
@login_required
@domain_errors_as_http
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The enterprise's own page: profile, its filing, its last reports, notices."""
    enterprise = _own(request)
    all_filings = list(selectors.filing_list_for(user=request.user)[:20])
    day = report_day()
    recent = selectors.report_list_for(user=request.user, enterprise_id=enterprise.pk, limit=14)
    context = {
        "enterprise": enterprise,
        "filings": all_filings,
        "open_filing": selectors.open_filing_of(enterprise=enterprise),
        "reports": recent,
        "report_day": day,
        "reported_today": any(r.date == day for r in recent),
        "report_form": DailyReportForm(
            initial={
                "date": day,
                "workers_on_duty": recent[0].workers_on_duty if recent else None,
            }
        ),
        "roster_count": enterprise.employees.count(),
        "quarantine_count": enterprise.employees.filter(selectors.in_quarantine_q()).count(),
        "phase": selectors.current_phase(),
        "inspections": selectors.inspection_list_for(user=request.user)[:10],
    }
    return render(request, "enterprises/portal_home.html", context)


def _filing_initial(enterprise: Enterprise, filing: ResumptionFiling | None) -> dict[str, Any]:
    """Never ask twice: prefill from the registry, the roster or the returned filing."""
    if filing is not None:
        return {
            name: getattr(filing, name)
            for name in (
                "planned_date",
                "workers_planned",
                "masks_days",
                "disinfectant_days",
                "temperature_checks",
                "disinfection_schedule",
                "canteen_measures",
                "dormitory_measures",
                "isolation_room",
                "prevention_officer",
                "commitment_signer",
            )
        }
    on_roster = enterprise.employees.count()
    return {
        "planned_date": timezone.localdate() + datetime.timedelta(days=1),
        "workers_planned": on_roster or enterprise.normal_workforce,
        "prevention_officer": enterprise.contact_name,
        "commitment_signer": enterprise.legal_representative or enterprise.contact_name,
    }


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def filing_form(request: AuthenticatedRequest) -> HttpResponse:
    """File for resumption, or correct and resubmit a returned filing."""
    enterprise = _own(request)
    if enterprise.status == ResumptionStatus.RESUMED:
        # Nothing to file: show the enterprise where it stands, not a form it cannot send.
        granted = selectors.granted_filing_of(enterprise=enterprise)
        messages.info(request, _("Your enterprise has resumed work: there is nothing to file."))
        if granted is not None:
            return redirect("portal_filing", pk=granted.pk)
        return redirect("portal_home")
    returned = selectors.open_filing_of(enterprise=enterprise)
    if returned is not None and returned.status != "returned":
        messages.info(request, _("Your filing is being reviewed."))
        return redirect("portal_filing", pk=returned.pk)
    form = FilingForm(
        request.POST or None,
        request.FILES or None,
        initial=_filing_initial(enterprise, returned),
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        plan = values.pop("plan_file")
        try:
            data = filings.clean_filing(**values, plan_file=plan)
            if returned is not None:
                filing = filings.filing_resubmit(
                    actor=request.user, filing=returned, data=data, plan_file=plan
                )
            else:
                filing = filings.filing_submit(
                    actor=request.user, enterprise=enterprise, data=data, plan_file=plan
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Filing submitted: %(status)s.") % {"status": filing.get_status_display()},
            )
            return redirect("portal_filing", pk=filing.pk)
    context = {
        "form": form,
        "enterprise": enterprise,
        "returned": returned,
        "phase": selectors.current_phase(),
        "route": filings.route_for(enterprise, selectors.current_phase().phase),
    }
    return render(request, "enterprises/portal_filing_form.html", context)


@require_GET
@login_required
@domain_errors_as_http
def filing_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _own(request)
    filing = selectors.filing_get_for(user=request.user, filing_id=pk)
    context = {
        "filing": filing,
        "gaps": [_(GAP_LABELS[g]) for g in filing.gaps if g in GAP_LABELS],
        "events": filing.events.all(),
        "plan_form": PlanForm(),
    }
    return render(request, "enterprises/portal_filing.html", context)


@require_POST
@login_required
@domain_errors_as_http
def filing_plan_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Hand in the prevention plan after the filing (the notice's 三日内补交)."""
    _own(request)
    filing = selectors.filing_get_for(user=request.user, filing_id=pk)
    form = PlanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            filings.filing_plan_upload(
                actor=request.user, filing=filing, plan_file=form.cleaned_data["plan_file"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Prevention plan uploaded."))
            return redirect("portal_filing", pk=filing.pk)
    context = {
        "filing": filing,
        "gaps": [_(GAP_LABELS[g]) for g in filing.gaps if g in GAP_LABELS],
        "events": filing.events.all(),
        "plan_form": form,
    }
    return render(request, "enterprises/portal_filing.html", context, status=422)


@require_POST
@login_required
@domain_errors_as_http
def report_submit(request: AuthenticatedRequest) -> HttpResponse:
    """The daily report of workers on duty at 24:00."""
    enterprise = _own(request)
    form = DailyReportForm(request.POST)
    if form.is_valid():
        try:
            report = reports.daily_report_submit(
                actor=request.user, enterprise=enterprise, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if report.late_workers_on_duty is not None:
                messages.warning(
                    request,
                    _(
                        "Sent after the deadline: the figure of %(n)s sent in time stands; "
                        "%(late)s is recorded beside it as late."
                    )
                    % {"n": report.workers_on_duty, "late": report.late_workers_on_duty},
                )
            else:
                messages.success(request, _("Report saved."))
            return redirect("portal_home")
    messages.error(
        request,
        " ".join(str(e) for errors in form.errors.values() for e in errors),
    )
    return redirect("portal_home")


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def roster_page(request: AuthenticatedRequest) -> HttpResponse:
    """The roster: add a worker, list the workers (arrivals needing quarantine flagged)."""
    enterprise = _own(request)
    form = EmployeeForm(request.POST or None, initial={"health": "healthy"})
    if request.method == "POST" and form.is_valid():
        try:
            data = roster.clean_employee(**form.cleaned_data)
            employee = roster.employee_create(actor=request.user, enterprise=enterprise, data=data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s added to the roster.") % {"name": employee.name})
            return redirect("portal_roster")
    qs = selectors.roster_for(user=request.user, enterprise_id=enterprise.pk)
    if request.GET.get("quarantine"):
        qs = qs.filter(selectors.in_quarantine_q())
    page = Paginator(qs, ROSTER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "enterprise": enterprise, "page": page, "today": timezone.localdate()}
    return render(request, "enterprises/portal_roster.html", context)


@require_POST
@login_required
@domain_errors_as_http
def employee_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _own(request)
    employee: Employee = selectors.employee_get_for(user=request.user, employee_id=pk)
    roster.employee_delete(actor=request.user, employee=employee)
    messages.success(request, _("%(name)s taken off the roster.") % {"name": employee.name})
    return redirect("portal_roster")


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
@domain_errors_as_http
def roster_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload the roster as a workbook: the import runs in the background, and its job page
    reports every bad row; nothing is half-imported."""
    enterprise = _own(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = roster.roster_import_start(
                actor=request.user, enterprise=enterprise, file=upload, filename=upload.name
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return job_started(job)
    return render(request, "enterprises/portal_import.html", {"form": form, "kind": "roster"})


@require_POST
@login_required
@domain_errors_as_http
def roster_export(request: AuthenticatedRequest) -> HttpResponse:
    """Export the enterprise's own roster, its own numbers unmasked (the export is audited), in
    the background."""
    enterprise = _own(request)
    return job_started(roster.roster_export_start(actor=request.user, enterprise=enterprise))


@require_GET
@login_required
def roster_template(request: AuthenticatedRequest) -> HttpResponse:
    return download(roster.roster_import_template(), _("roster-template") + ".xlsx")


@require_GET
@login_required
@domain_errors_as_http
def other_enterprise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """/portal/enterprises/<id>/: the own enterprise's profile; any other is not found."""
    enterprise = _own(request)
    if enterprise.pk != pk:
        raise NotFound()
    return redirect("portal_home")


urlpatterns: list[URLPattern] = [
    path("portal/signup/", signup, name="portal_signup"),
    path("portal/", home, name="portal_home"),
    path("portal/enterprises/<int:pk>/", other_enterprise, name="portal_enterprise"),
    path("portal/filing/", filing_form, name="portal_filing_form"),
    path("portal/filings/<int:pk>/", filing_detail, name="portal_filing"),
    path("portal/filings/<int:pk>/plan/", filing_plan_upload, name="portal_filing_plan"),
    path("portal/reports/", report_submit, name="portal_report"),
    path("portal/roster/", roster_page, name="portal_roster"),
    path("portal/roster/<int:pk>/delete/", employee_delete, name="portal_employee_delete"),
    path("portal/roster/import/", roster_import, name="portal_roster_import"),
    path("portal/roster/export.xlsx", roster_export, name="portal_roster_export"),
    path("portal/roster/template.xlsx", roster_template, name="portal_roster_template"),
]
