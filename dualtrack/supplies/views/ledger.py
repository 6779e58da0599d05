"""The ledger's corrections and approvals, its export, and the opening stocktake's import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualtrack.areas.scoping import Permission
from dualtrack.core.errors import DomainError, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.supplies import access, selectors
from dualtrack.supplies.forms import ImportForm, PeriodForm
from dualtrack.supplies.services import exports, imports, ledger, stocktakes
from dualtrack.supplies.views.common import refusal_text


@require_POST
@login_required
@domain_errors_as_http
def entry_reverse(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Correct an entry by a reversing one."""
    entry = selectors.entry_get_for(user=request.user, entry_id=pk)
    try:
        reversal = ledger.entry_reverse(
            actor=request.user, entry=entry, reason=request.POST.get("reason", "")
        )
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("Entry %(v)s reversed by %(r)s.") % {"v": entry.voucher_no, "r": reversal.voucher_no},
        )
    return redirect(reverse("supplies_holder", args=[entry.holder_id]) + "#ledger")


@require_POST
@login_required
@domain_errors_as_http
def adjustment_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The supplies group approves or refuses a proposed stocktake adjustment."""
    adjustment = selectors.adjustment_get_for(user=request.user, adjustment_id=pk)
    try:
        stocktakes.adjustment_decide(
            actor=request.user,
            adjustment=adjustment,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Stocktake adjustment decided."))
    return redirect(reverse("supplies_index") + "#adjustments")


@require_POST
@login_required
@domain_errors_as_http
def ledger_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Export the holder's 台账 for a period as an Excel workbook, in the background."""
    holder = selectors.holder_get_for(user=request.user, holder_id=pk)
    form = PeriodForm(request.POST)
    if not form.is_valid() or form.cleaned_data["since"] > form.cleaned_data["until"]:
        messages.error(request, _("Choose a period whose start is not after its end."))
        return redirect("supplies_holder", pk=pk)
    job = exports.ledger_export_start(
        actor=request.user,
        holder=holder,
        since=form.cleaned_data["since"],
        until=form.cleaned_data["until"],
    )
    return job_started(job)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def opening_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Import an opening stocktake in the background; its job page lists every bad row, and
    nothing is half-imported."""
    holder = selectors.holder_get_for(user=request.user, holder_id=pk)
    access.require_holder(user=request.user, holder=holder, permission=Permission.KEEP_LEDGER)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.opening_stock_import_start(
                actor=request.user,
                holder=holder,
                file=upload,
                filename=upload.name or "",
                occurred_on=form.cleaned_data["occurred_on"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return job_started(job)
    status = 422 if request.method == "POST" else 200
    return render(request, "supplies/import.html", {"holder": holder, "form": form}, status=status)
