"""Pages of the supplies app: thin views over the selectors and services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.areas.scoping import Permission
from dualtrack.core.errors import Conflict, DomainError, PermissionDenied
from dualtrack.core.forms import ConfirmForm, add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, is_htmx, query_id
from dualtrack.supplies import selectors
from dualtrack.supplies.documents import receipt_pdf
from dualtrack.supplies.forms import (
    AdjustmentForm,
    ConsumptionForm,
    DecideForm,
    HolderForm,
    ImportForm,
    ItemForm,
    PeriodForm,
    ReceiptForm,
    RequestForm,
    TransferForm,
)
from dualtrack.supplies.models import (
    AdjustmentStatus,
    Holder,
    HolderKind,
    RequestStatus,
    TransferStatus,
)
from dualtrack.supplies.services import allocations, catalogue, exports, imports, ledger, requests
from dualtrack.supplies.services import transfers as transfer_services


def _may(user: Any, holder: Holder, permission: Permission) -> bool:
    try:
        selectors.holder_require(user=user, holder=holder, permission=permission)
    except DomainError:
        return False
    return True


def _field_errors(form: forms.Form, exc: DomainError, mapping: dict[str, str]) -> None:
    """Put a service's field errors on the page form's fields (``mapping`` renames them)."""
    if exc.errors:
        exc.errors = [
            {**e, "field": mapping.get(e.get("field", ""), e.get("field", ""))} for e in exc.errors
        ]
    add_domain_error(form, exc)


# The most rows of the index's lists; the lowest stock comes first.
HOLDERS_SHOWN = 200
LOW_SHOWN = 100


@require_GET
@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    """Holders in sight, low-stock alerts, transfers to confirm and requests to decide."""
    user = request.user
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()[:50]
    matching = selectors.holder_list_for(user=user, kind=kind, q=q)
    holders = list(matching[:HOLDERS_SHOWN])
    context: dict[str, Any] = {
        "holders": holders,
        # A longer list is cut, and says so: the search and the kind narrow it.
        "holders_total": matching.count() if len(holders) == HOLDERS_SHOWN else len(holders),
        "kinds": HolderKind.choices,
        "kind": kind,
        "q": q,
    }
    if is_htmx(request):
        return render(request, "supplies/index.html#rows", context)
    low = selectors.low_stock_for(user=user)
    context.update(
        {
            "low": low[:LOW_SHOWN],
            "low_count": len(low),
            "awaiting": list(selectors.transfers_awaiting_receipt(user=user)[:50]),
            "pending_requests": selectors.pending_request_count(user=user),
            "adjustments": list(
                selectors.adjustment_list_for(user=user, status=AdjustmentStatus.PENDING)
            ),
            "manager": selectors.can_manage_supplies(user),
            "chart": {
                "labels": [f"{c.holder_name} · {c.item_name}" for c in low[:15]],
                "days": [c.days for c in low[:15]],
                "threshold": _threshold(),
            },
        }
    )
    return render(request, "supplies/index.html", context)


def _threshold() -> float:
    from django.conf import settings

    return float(settings.LOW_STOCK_DAYS)


def _holder_context(request: AuthenticatedRequest, holder: Holder, **forms_: Any) -> dict:
    user = request.user
    stock = selectors.balances_for(user=user, holder=holder)
    keeps = _may(user, holder, Permission.KEEP_LEDGER)
    manages = _may(user, holder, Permission.MANAGE_SUPPLIES)
    may_send = manages if holder.kind == HolderKind.DISTRICT_STORE else keeps
    today = timezone.localdate()
    destinations = selectors.holder_list_for(user=user).exclude(pk=holder.pk)
    transfer_form = forms_.get("transfer_form") or TransferForm(
        prefix="t", destinations=destinations
    )
    return {
        "holder": holder,
        "stock": stock,
        "low": [c for c in stock if c.is_low],
        "entries": selectors.entries_for(user=user, holder=holder, limit=30),
        "transfers": list(selectors.transfer_list_for(user=user, holder=holder, limit=20)),
        "requests": list(selectors.request_list_for(user=user, holder=holder, limit=10)),
        "adjustments": list(selectors.adjustment_list_for(user=user, holder=holder, limit=10)),
        "reversible": [str(k) for k in ledger.REVERSIBLE_KINDS],
        "keeps": keeps,
        "manages": manages,
        "may_send": may_send,
        "receipt_form": forms_.get("receipt_form") or ReceiptForm(prefix="r"),
        "consumption_form": forms_.get("consumption_form") or ConsumptionForm(prefix="c"),
        "adjustment_form": forms_.get("adjustment_form") or AdjustmentForm(prefix="a"),
        "transfer_form": transfer_form,
        # The send form's picker shows the holder chosen before a refusal, not all holders.
        "chosen_destination": transfer_form.chosen_destination(),
        "period_form": PeriodForm(initial={"since": today.replace(day=1), "until": today}),
        "open": forms_.get("open", ""),
        "chart": {
            "items": [c.item_name for c in stock],
            "balance": [c.balance for c in stock],
            "days": [c.days for c in stock],
            "threshold": _threshold(),
        },
    }


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def holder_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A holder's stock with days of cover, its ledger, and the forms to write it."""
    holder = selectors.holder_get_for(user=request.user, holder_id=pk)
    if request.method == "GET":
        return render(request, "supplies/holder.html", _holder_context(request, holder))
    action = request.POST.get("action", "")
    user = request.user
    bound: dict[str, Any] = {"open": action}
    line_fields: list[str] = []
    form: forms.Form
    try:
        if action == "receipt":
            form = bound["receipt_form"] = ReceiptForm(request.POST, prefix="r")
            if form.is_valid():
                d = form.cleaned_data
                entry = ledger.receipt_record(
                    actor=user,
                    holder=holder,
                    item=d["item"],
                    kind=d["kind"],
                    quantity=d["quantity"],
                    counterparty=d["counterparty"],
                    occurred_on=d["occurred_on"],
                    voucher_no=d["voucher_no"],
                )
                messages.success(request, _("Receipt %(v)s recorded.") % {"v": entry.voucher_no})
                return redirect("supplies_holder", pk=holder.pk)
        elif action == "consumption":
            form = bound["consumption_form"] = ConsumptionForm(request.POST, prefix="c")
            if form.is_valid():
                d = form.cleaned_data
                ledger.consumption_record(
                    actor=user,
                    holder=holder,
                    item=d["item"],
                    quantity=d["quantity"],
                    purpose=d["purpose"],
                    occurred_on=d["occurred_on"],
                )
                messages.success(request, _("Consumption recorded."))
                return redirect("supplies_holder", pk=holder.pk)
        elif action == "adjustment":
            form = bound["adjustment_form"] = AdjustmentForm(request.POST, prefix="a")
            if form.is_valid():
                d = form.cleaned_data
                ledger.adjustment_propose(
                    actor=user,
                    holder=holder,
                    item=d["item"],
                    counted=d["counted"],
                    reason=d["reason"],
                )
                messages.success(
                    request, _("Stocktake adjustment proposed: the supplies group approves it.")
                )
                return redirect("supplies_holder", pk=holder.pk)
        elif action == "transfer":
            destinations = selectors.holder_list_for(user=user).exclude(pk=holder.pk)
            form = bound["transfer_form"] = TransferForm(
                request.POST, prefix="t", destinations=destinations
            )
            if form.is_valid():
                pairs = form.line_pairs()
                line_fields = [f for f, _i, _q in pairs]
                if not form.errors:
                    transfer = transfer_services.transfer_send(
                        actor=user,
                        source=holder,
                        destination=form.cleaned_data["destination"],
                        lines=[transfer_services.LineIn(item, qty) for _f, item, qty in pairs],
                        note=form.cleaned_data["note"],
                    )
                    messages.success(
                        request, _("Transfer %(v)s sent.") % {"v": transfer.voucher_no}
                    )
                    return redirect("supplies_transfer", pk=transfer.pk)
        else:
            raise PermissionDenied()
    except DomainError as exc:
        mapping = {"quantity": "quantity"}
        if action == "transfer":
            mapping = {f"lines.{i}.quantity": f for i, f in enumerate(line_fields)}
            if exc.code == "insufficient_stock":
                exc.errors = []
        _field_errors(form, exc, mapping)
    context = _holder_context(request, holder, **bound)
    return render(request, "supplies/holder.html", context, status=422)


# The most holders a destination search offers: the district has thousands; a name narrows them.
DESTINATIONS_SHOWN = 20


@require_GET
@login_required
@domain_errors_as_http
def holder_destinations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The holders in sight whose name matches ``q``, to send a transfer to (an htmx fragment
    of the send form: the district store's page would otherwise list every holder)."""
    holder = selectors.holder_get_for(user=request.user, holder_id=pk)
    q = request.GET.get("q", "").strip()[:50]
    matching = selectors.holder_list_for(user=request.user, q=q).exclude(pk=holder.pk)
    shown = list(matching[:DESTINATIONS_SHOWN]) if q else []
    context = {
        "options": shown,
        "more": matching.count() - len(shown) if len(shown) == DESTINATIONS_SHOWN else 0,
        "q": q,
        "chosen": None,
        "field_name": "t-destination",
    }
    return render(request, "supplies/destination_options.html", context)


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
        details = "; ".join(e["message"] for e in exc.errors) or str(exc.message)
        messages.error(request, details)
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
        ledger.adjustment_decide(
            actor=request.user,
            adjustment=adjustment,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except PermissionDenied:
        raise
    except DomainError as exc:
        details = "; ".join(e["message"] for e in exc.errors) or str(exc.message)
        messages.error(request, details)
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
    selectors.holder_require(user=request.user, holder=holder, permission=Permission.KEEP_LEDGER)
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


# --- Transfers ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def transfer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A transfer, its receipt PDF, and the receiver's confirmation form."""
    transfer = selectors.transfer_get_for(user=request.user, transfer_id=pk)
    lines = list(transfer.lines.select_related("item").order_by("item__name"))
    form = ConfirmForm(request.POST or None)
    values: dict[str, str] = {}
    if request.method == "POST":
        received = {}
        reasons = {}
        for line in lines:
            values[f"received_{line.item_id}"] = request.POST.get(f"received_{line.item_id}", "")
            values[f"reason_{line.item_id}"] = request.POST.get(f"reason_{line.item_id}", "")
            raw = values[f"received_{line.item_id}"].strip()
            received[line.item_id] = raw if raw else line.quantity_sent
            reasons[line.item_id] = values[f"reason_{line.item_id}"]
        try:
            transfer_services.transfer_receive(
                actor=request.user, transfer=transfer, received=received, reasons=reasons
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Receipt confirmed."))
            return redirect("supplies_transfer", pk=pk)
    for line in lines:
        line.form_received = values.get(f"received_{line.item_id}", "")  # type: ignore[attr-defined]
        line.form_reason = values.get(f"reason_{line.item_id}", "")  # type: ignore[attr-defined]
    context = {
        "transfer": transfer,
        "lines": lines,
        "form": form,
        "values": values,
        "may_receive": transfer.status == TransferStatus.IN_TRANSIT
        and transfer.sent_by_id != request.user.pk
        and _may(request.user, transfer.destination, Permission.KEEP_LEDGER),
    }
    return render(request, "supplies/transfer.html", context, status=422 if form.errors else 200)


@require_GET
@login_required
@domain_errors_as_http
def transfer_receipt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The hand-over receipt (物资交接单) as a PDF download."""
    transfer = selectors.transfer_get_for(user=request.user, transfer_id=pk)
    response = HttpResponse(receipt_pdf(transfer), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{transfer.voucher_no}.pdf"'
    return response


# --- Requests and allocation ---------------------------------------------------------------------


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
        "manager": selectors.can_manage_supplies(request.user),
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
                _field_errors(form, exc, mapping)
            else:
                messages.success(request, _("Request #%(n)s submitted.") % {"n": req.pk})
                return redirect("supplies_requests")
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
    quantities = {
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
        details = "; ".join(e["message"] for e in exc.errors) or str(exc.message)
        messages.error(request, _("Request #%(n)s: %(why)s") % {"n": req.pk, "why": details})
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
    values = {}
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
    stock = selectors.balances_for(user=request.user, holder=store) if store else []
    context = {"rows": rows, "form": form, "stock": stock, "store": store}
    return render(request, "supplies/allocation.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def holder_new(request: AuthenticatedRequest) -> HttpResponse:
    """The supplies group registers a holder (a quarantine site, the store), or adds the missing
    holders of every town, village, checkpoint and enterprise at once."""
    if not selectors.can_manage_supplies(request.user):
        raise PermissionDenied()
    form = HolderForm(request.POST or None, user=request.user)
    if request.method == "POST" and request.POST.get("action") == "sync":
        added = catalogue.holders_sync(actor=request.user)
        messages.success(request, _("%(n)s holders added.") % {"n": added})
        return redirect("supplies_index")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            holder = catalogue.holder_create(
                actor=request.user,
                kind=d["kind"],
                name=d["name"],
                area=d["area"],
                front_line=d["front_line"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Holder “%(name)s” registered.") % {"name": holder.name})
            return redirect("supplies_holder", pk=holder.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "supplies/holder_form.html", {"form": form}, status=status)


# --- Items ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def item_list(request: AuthenticatedRequest) -> HttpResponse:
    """The catalogue; the supplies group adds items."""
    manager = selectors.can_manage_supplies(request.user)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = catalogue.item_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Item “%(name)s” added.") % {"name": item.name})
            return redirect("supplies_items")
    context = {"items": selectors.item_list(), "form": form, "manager": manager}
    status = 422 if request.method == "POST" else 200
    return render(request, "supplies/items.html", context, status=status)
