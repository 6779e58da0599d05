"""Requests for supplies, their decision, and the allocation from the district store."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import Conflict, DomainError, PermissionDenied
from dualtrack.core.forms import ConfirmForm, add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, query_id
from dualtrack.supplies import access, figures, selectors
from dualtrack.supplies.forms import DecideForm, RequestForm
from dualtrack.supplies.models import RequestStatus
from dualtrack.supplies.services import allocations, requests
from dualtrack.supplies.services import transfers as transfer_services
from dualtrack.supplies.views.common import field_errors, refusal_text


@require_GET
@login_required
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    """Requests of holders in sight; the supplies group decides the pending ones here."""
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    context = {
        "requests": selectors.request_list_for(user=request.user, status=status),
        "status": status,
        "statuses": RequestStatus.choices,
        "manager": access.may_manage_supplies(request.user),
        "decide_form": DecideForm(),
    }
    return render(request, "supplies/requests.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def request_new(request: AuthenticatedRequest) -> HttpResponse:
    """Ask the supplies group for items."""
    holders = selectors.holders_kept_by(user=request.user)
    initial = {}
    if (holder_id := query_id(request, "holder")) is not None:
        initial["holder"] = holder_id
    form = RequestForm(request.POST or None, holders=holders, initial=initial)
    if request.method == "POST" and form.is_valid():
        pairs = form.line_pairs()
        if not form.errors:
            d = form.cleaned_data
            try:
                req = requests.request_submit(
                    actor=request.user,
                    holder=d["holder"],
                    justification=d["justification"],
                    lines=[transfer_services.LineIn(item, qty) for _f, item, qty in pairs],
                    staff=d["staff"],
                    shifts=d["shifts"],
                    days=d["days"],
                )
            except DomainError as exc:
                mapping = {f"lines.{i}.quantity": f for i, (f, _i, _q) in enumerate(pairs)}
                field_errors(form, exc, mapping)
            else:
                messages.success(request, _("Request #%(n)s submitted.") % {"n": req.pk})
                return redirect("supplies_requests")
    form.offer_items(selectors.item_options())  # once for the four item selects
    status = 422 if request.method == "POST" else 200
    return render(request, "supplies/request_form.html", {"form": form}, status=status)


@require_POST
@login_required
@domain_errors_as_http
def request_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Approve (possibly trimmed) or refuse a request."""
    req = selectors.request_get_for(user=request.user, request_id=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
        return redirect("supplies_requests")
    quantities: dict[int, object] = {
        line.item_id: request.POST.get(f"approved_{line.item_id}", "").strip()
        or line.quantity_requested
        for line in req.lines.all()
    }
    try:
        requests.request_decide(
            actor=request.user,
            request=req,
            approve=form.cleaned_data["decision"] == "approve",
            quantities=quantities,
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(
            request, _("Request #%(n)s: %(why)s") % {"n": req.pk, "why": refusal_text(exc)}
        )
    else:
        messages.success(request, _("Request #%(n)s decided.") % {"n": req.pk})
    return redirect("supplies_requests")


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def allocation(request: AuthenticatedRequest) -> HttpResponse:
    """The proposed allocation from the district store: edit, then confirm into transfers."""
    try:
        proposal = allocations.allocation_propose(actor=request.user)
    except Conflict as exc:  # no district store yet
        messages.error(request, str(exc.message))
        return redirect("supplies_index")
    form = ConfirmForm(request.POST or None)
    values: dict[str, Any] = {}
    if request.method == "POST":
        lines = []
        top_ups = []
        for p in proposal:
            raw = request.POST.get(f"qty_{p.need.key}", "0")
            values[p.need.key] = raw
            if p.need.line_id is None:
                top_ups.append((p.need.holder_id, p.need.item_id, raw))
            else:
                lines.append((p.need.line_id, raw))
        try:
            done = allocations.allocation_confirm(
                actor=request.user,
                lines=lines,
                top_ups=top_ups,
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Allocation confirmed: %(n)s transfers sent.") % {"n": done.transfers.count()},
            )
            return redirect(reverse("supplies_index") + "#transfers")
    store = selectors.district_store()
    rows = [
        {
            "p": p,
            "explanation": allocations.explain(p),
            "value": values.get(p.need.key, p.quantity),
        }
        for p in proposal
    ]
    stock = figures.balances_for(user=request.user, holder=store) if store else []
    context = {"rows": rows, "form": form, "stock": stock, "store": store}
    return render(request, "supplies/allocation.html", context, status=422 if form.errors else 200)
