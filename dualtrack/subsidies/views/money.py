"""Budgets (with the rule when one runs out), payment batches (export, mark paid), the payment
ledger, and the figures with their export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.media_types import XLSX
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.subsidies import access, figures, selectors
from dualtrack.subsidies.exports import workbook
from dualtrack.subsidies.forms import BudgetForm, ParameterForm, VoucherForm
from dualtrack.subsidies.services import parameters, payments, review


def _download(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _budgets_page(
    request: AuthenticatedRequest, form: BudgetForm, status: int = 200
) -> HttpResponse:
    if not access.sees_subsidies(request.user):
        raise NotFound()
    rows = [
        {"budget": b, "waiting": list(selectors.waiting_queue(clause=b.clause)[:50])}
        for b in selectors.budgets()
    ]
    context = {"rows": rows, "form": form, "may_review": access.may_review(request.user)}
    return render(request, "subsidies/budgets.html", context, status=status)


@require_GET
@login_required
@domain_errors_as_http
def budgets(request: AuthenticatedRequest) -> HttpResponse:
    return _budgets_page(request, BudgetForm())


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def parameter_record(request: AuthenticatedRequest) -> HttpResponse:
    """The policy working group records a parameter's new version or a correction."""
    access.require_review(request.user)
    form = ParameterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                parameters.parameter_record(
                    actor=request.user,
                    clause=data["clause"],
                    name=data["name"].strip(),
                    value=data["value"],
                    effective_from=data["effective_from"],
                    effective_to=data["effective_to"],
                    scope=data["scope"].strip(),
                    reason=data["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The parameter is recorded."))
                return redirect("subsidies_parameter_record")
    context = {"form": form, "versions": selectors.parameter_list()[:200]}
    return render(request, "subsidies/parameter_record.html", context, status=status)


@require_POST
@login_required
@domain_errors_as_http
def budget_set(request: AuthenticatedRequest) -> HttpResponse:
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            review.budget_set(
                actor=request.user,
                clause=form.cleaned_data["clause"],
                total=form.cleaned_data["total"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("subsidies_budgets")
    return _budgets_page(request, form, status=422)


@require_GET
@login_required
@domain_errors_as_http
def batch_list(request: AuthenticatedRequest) -> HttpResponse:
    if not access.may_review(request.user):
        raise NotFound() if not access.sees_subsidies(request.user) else PermissionDenied()
    context = {"batches": list(selectors.batch_list_for(user=request.user))}
    return render(request, "subsidies/batch_list.html", context)


@require_POST
@login_required
@domain_errors_as_http
def batch_create(request: AuthenticatedRequest) -> HttpResponse:
    try:
        batch = payments.batch_create(actor=request.user)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("subsidies_batches")
    return redirect("subsidies_batch", batch.pk)


def _batch_page(
    request: AuthenticatedRequest, pk: int, form: VoucherForm, status: int = 200
) -> HttpResponse:
    batch = selectors.batch_get_for(user=request.user, batch_id=pk)
    context = {
        "batch": batch,
        "claims": list(selectors.batch_claims(batch)[:500]),
        "form": form,
        "may_review": access.may_review(request.user),
    }
    return render(request, "subsidies/batch_detail.html", context, status=status)


@require_GET
@login_required
@domain_errors_as_http
def batch_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _batch_page(request, pk, VoucherForm())


@require_POST
@login_required
@domain_errors_as_http
def batch_paid(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get_for(user=request.user, batch_id=pk)
    form = VoucherForm(request.POST)
    if form.is_valid():
        try:
            payments.batch_mark_paid(
                actor=request.user, batch=batch, voucher_no=form.cleaned_data["voucher_no"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("subsidies_batch", pk)
    return _batch_page(request, pk, form, status=422)


@require_GET
@login_required
@domain_errors_as_http
def batch_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get_for(user=request.user, batch_id=pk)
    header = [
        _("Batch"),
        _("Claim"),
        _("Clause"),
        _("Payee"),
        _("Bank"),
        _("Bank account"),
        _("Amount (yuan)"),
        _("Approved at"),
    ]
    rows = [
        [
            batch.number,
            c.pk,
            c.get_clause_display(),
            c.payee_name,
            c.bank_name,
            c.bank_account,
            c.amount_due,
            c.decided_at.strftime("%Y-%m-%d %H:%M") if c.decided_at else "",
        ]
        for c in selectors.batch_claims(batch)
    ]
    return _download(workbook(batch.number, header, rows), f"{batch.number}.xlsx")


@require_GET
@login_required
@domain_errors_as_http
def ledger(request: AuthenticatedRequest) -> HttpResponse:
    if not access.sees_subsidies(request.user):
        raise NotFound()
    lines = selectors.ledger_for(user=request.user)
    return render(request, "subsidies/ledger.html", {"lines": lines})


@require_GET
@login_required
@domain_errors_as_http
def figures_page(request: AuthenticatedRequest) -> HttpResponse:
    if not access.sees_subsidies(request.user):
        raise NotFound()
    result = figures.subsidy_figures(user=request.user)
    chart = {
        "labels": [r.label for r in result.by_clause],
        "applied": [str(r.applied) for r in result.by_clause],
        "offered": [str(r.offered) for r in result.by_clause],
        "approved": [str(r.approved) for r in result.by_clause],
        "paid": [str(r.paid) for r in result.by_clause],
        "budget": [str(r.budget or 0) for r in result.by_clause],
        "months": [r.label for r in result.by_month],
        "month_paid": [str(r.paid) for r in result.by_month],
        "month_approved": [str(r.approved) for r in result.by_month],
    }
    context = {"figures": result, "chart": chart}
    return render(request, "subsidies/figures.html", context)


@require_GET
@login_required
@domain_errors_as_http
def figures_export(request: AuthenticatedRequest) -> HttpResponse:
    if not access.sees_subsidies(request.user):
        raise NotFound()
    result = figures.subsidy_figures(user=request.user)
    header = [
        _("Breakdown"),
        _("Name"),
        _("Applied"),
        _("Offered"),
        _("Approved"),
        _("Paid"),
        _("Claims"),
        _("Budget"),
    ]
    rows = []
    for group, items in (
        (_("Clause"), result.by_clause),
        (_("Town"), result.by_town),
        (_("Month"), result.by_month),
    ):
        for r in items:
            rows.append(
                [group, r.label, r.applied, r.offered, r.approved, r.paid, r.claims, r.budget]
            )
    return _download(workbook(_("Subsidies"), header, rows), "subsidy-figures.xlsx")


urlpatterns: list[URLPattern] = [
    path("subsidies/budgets/", budgets, name="subsidies_budgets"),
    path("subsidies/budgets/set/", budget_set, name="subsidies_budget_set"),
    path("subsidies/parameters/", parameter_record, name="subsidies_parameter_record"),
    path("subsidies/batches/", batch_list, name="subsidies_batches"),
    path("subsidies/batches/new/", batch_create, name="subsidies_batch_create"),
    path("subsidies/batches/<int:pk>/", batch_detail, name="subsidies_batch"),
    path("subsidies/batches/<int:pk>/paid/", batch_paid, name="subsidies_batch_paid"),
    path("subsidies/batches/<int:pk>/export.xlsx", batch_export, name="subsidies_batch_export"),
    path("subsidies/ledger/", ledger, name="subsidies_ledger"),
    path("subsidies/figures/", figures_page, name="subsidies_figures"),
    path("subsidies/figures/export.xlsx", figures_export, name="subsidies_figures_export"),
]
