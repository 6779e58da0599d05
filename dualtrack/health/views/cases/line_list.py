"""The line list's pages: the list with its counts and curve, a case's page with its history,
the case form, reclassification, the audited unmasked view and the export."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.areas.scoping import Permission
from dualtrack.areas.selectors import area_options_for
from dualtrack.core.errors import DomainError, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, is_htmx
from dualtrack.health.access.cases import (
    case_permissions,
    contact_permissions,
    may_export_cases,
    may_manage_any_cases,
)
from dualtrack.health.models import Case, CaseClassification, CaseOrigin
from dualtrack.health.selectors import cases as selectors
from dualtrack.health.services import cases as services
from dualtrack.health.views.cases.forms import (
    CaseForm,
    ExportForm,
    ReclassifyForm,
    SearchForm,
)


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return None


@require_GET
@login_required
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    """The line list with filters (htmx swaps the rows), the day's counts by town and the
    epidemic curve by onset and by report date."""
    user = request.user
    get = request.GET
    filters: dict[str, Any] = {
        "classification": get.get("classification", "")[:12],
        "origin": get.get("origin", "")[:8],
        "since": _date(get.get("since")),
        "until": _date(get.get("until")),
        "q": get.get("q", "")[:50],
    }
    cases = selectors.case_list_for(user=user, **filters)
    context: dict[str, Any] = {"cases": cases, "filters": filters}
    if is_htmx(request) and request.headers.get("HX-Target") == "case-rows":
        return render(request, "health/cases/list.html#rows", context)
    today = timezone.localdate()
    context.update(
        {
            "classifications": CaseClassification.choices,
            "origins": CaseOrigin.choices,
            "today": today,
            "counts": selectors.daily_counts_for(user=user, day=today),
            "curve": selectors.epidemic_curve_for(user=user, until=today),
            "may_create": may_manage_any_cases(user),
            "may_export": may_export_cases(user),
            "export_form": ExportForm(
                initial={"since": today - datetime.timedelta(days=30), "until": today}
            ),
        }
    )
    return render(request, "health/cases/list.html", context)


def _areas(request: AuthenticatedRequest) -> Any:
    return area_options_for(user=request.user, permission=Permission.MANAGE_CASES)


def _input(request: AuthenticatedRequest, form: CaseForm) -> services.CaseInput:
    d = form.cleaned_data
    user = request.user
    resident = None
    if d["is_resident"]:
        resident = selectors.resident_by_id_number_for(user=user, id_number=d["id_number"])
    source = order = None
    if d["infected_by"]:
        source = selectors.source_case_get_for_write(
            user=user, case_id=d["infected_by"], field="infected_by"
        )
    if d["quarantine_order"]:
        order = selectors.order_get_for_write(
            user=user, order_id=d["quarantine_order"], field="quarantine_order"
        )
    return services.CaseInput(
        classification=d["classification"],
        report_date=d["report_date"],
        origin=d["origin"],
        name=d["name"],
        gender=d["gender"],
        age=d["age"],
        id_number=d["id_number"],
        phone=d["phone"],
        area=d["area"],
        resident=resident,
        onset_date=d["onset_date"],
        sampling_date=d["sampling_date"],
        isolation_date=d["isolation_date"],
        exposure_region_code=d["exposure_region_code"],
        quarantine_order=order,
        infected_by=source,
        note=d["note"],
        reason=d["reason"],
    )


_FIELDS = {
    "area_id": "area",
    "infected_by_id": "infected_by",
    "quarantine_order_id": "quarantine_order",
}


def _put_errors(form: CaseForm, exc: DomainError) -> None:
    exc.errors = [
        {**e, "field": _FIELDS.get(e.get("field", ""), e.get("field", ""))} for e in exc.errors
    ]
    if exc.errors and exc.errors[0].get("field") in {
        "id_number",
        "infected_by",
        "quarantine_order",
    }:
        # An id or number out of sight names the field, as a read would: a form error.
        form.add_error(exc.errors[0]["field"], str(exc.errors[0]["message"]))
        return
    add_domain_error(form, exc)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def case_new(request: AuthenticatedRequest) -> HttpResponse:
    """Enter a case (prevention and medical groups)."""
    if not may_manage_any_cases(request.user):
        raise PermissionDenied()
    form = CaseForm(request.POST or None, areas=_areas(request))
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.case_create(actor=request.user, data=_input(request, form))
            except DomainError as exc:
                _put_errors(form, exc)
            else:
                messages.success(request, _("Case %(n)s entered.") % {"n": case.number})
                return redirect("health_case", pk=case.pk)
        return render(request, "health/cases/form.html", {"form": form}, status=422)
    return render(request, "health/cases/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def case_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, case_id=pk)
    if not case_permissions(request.user, case).manage:
        raise PermissionDenied()
    initial = {
        **{
            f: getattr(case, f)
            for f in (
                "classification",
                "report_date",
                "origin",
                "exposure_region_code",
                "is_resident",
                "name",
                "gender",
                "age",
                "onset_date",
                "sampling_date",
                "isolation_date",
                "note",
            )
        },
        "area": case.area_id,
        "infected_by": case.infected_by_id,
        "quarantine_order": case.quarantine_order_id,
    }
    form = CaseForm(request.POST or None, areas=_areas(request), initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_update(actor=request.user, case=case, data=_input(request, form))
            except DomainError as exc:
                _put_errors(form, exc)
            else:
                messages.success(request, _("Case %(n)s saved.") % {"n": case.number})
                return redirect("health_case", pk=case.pk)
        return render(request, "health/cases/form.html", {"form": form, "case": case}, status=422)
    return render(request, "health/cases/form.html", {"form": form, "case": case})


def case_context(
    request: AuthenticatedRequest, case: Case, *, revealed: bool = False, **forms_: Any
) -> dict[str, Any]:
    user = request.user
    may = case_permissions(user, case)
    contacts = selectors.contact_list_for(user=user, case=case)
    return {
        "case": case,
        "may": may,
        "revealed": revealed,
        "history": selectors.case_history_for(user=user, case=case),
        "contacts": [(c, contact_permissions(user, c)) for c in contacts],
        "searches": selectors.search_list_for(user=user, case=case),
        "reclassify_form": forms_.get("reclassify_form") or ReclassifyForm(),
        "search_form": forms_.get("search_form") or SearchForm(),
    }


@require_GET
@login_required
@domain_errors_as_http
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A case: its line, classification history, searches and ranked contacts."""
    case = selectors.case_get_for(user=request.user, case_id=pk)
    return render(request, "health/cases/detail.html", case_context(request, case))


@require_POST
@login_required
@never_cache
@domain_errors_as_http
def case_reveal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The case's full numbers for a role that may see them; the view is audited."""
    case = selectors.case_get_for(user=request.user, case_id=pk)
    services.case_unmasked_view(actor=request.user, case=case, note="case page")
    context = case_context(request, case, revealed=True)
    return render(request, "health/cases/detail.html", context)


@require_POST
@login_required
@domain_errors_as_http
def case_reclassify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, case_id=pk)
    form = ReclassifyForm(request.POST)
    if form.is_valid():
        try:
            services.case_reclassify(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Classification changed."))
            return redirect("health_case", pk=case.pk)
    context = case_context(request, case, reclassify_form=form)
    return render(request, "health/cases/detail.html", context, status=422)


@require_POST
@login_required
@domain_errors_as_http
def case_export(request: AuthenticatedRequest) -> HttpResponse:
    """Start the line list's export (full numbers, audited); the job's page follows it."""
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            job = services.line_list_export_start(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("job_detail", pk=job.pk)
    messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("health_case_list")
