"""A holder's page and the forms it carries, one small view per form: goods received, goods
used, a stocktake adjustment and a transfer sent. A refused form is shown again on the holder's
page, open, with its errors (422)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dualtrack.core.errors import DomainError
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.supplies import access, figures, selectors
from dualtrack.supplies.forms import (
    AdjustmentForm,
    ConsumptionForm,
    PeriodForm,
    ReceiptForm,
    TransferForm,
)
from dualtrack.supplies.models import Holder
from dualtrack.supplies.services import ledger, stocktakes
from dualtrack.supplies.services import transfers as transfer_services
from dualtrack.supplies.views.common import field_errors, low_stock_threshold


def _holder_context(request: AuthenticatedRequest, holder: Holder, **forms_: Any) -> dict[str, Any]:
    user = request.user
    stock = figures.balances_for(user=user, holder=holder)
    may = access.holder_permissions(user, holder)
    today = timezone.localdate()
    destinations = selectors.holder_list_for(user=user).exclude(pk=holder.pk)
    transfer_form = forms_.get("transfer_form") or TransferForm(
        prefix="t", destinations=destinations
    )
    item_forms = {
        "receipt_form": forms_.get("receipt_form") or ReceiptForm(prefix="r"),
        "consumption_form": forms_.get("consumption_form") or ConsumptionForm(prefix="c"),
        "adjustment_form": forms_.get("adjustment_form") or AdjustmentForm(prefix="a"),
        "transfer_form": transfer_form,
    }
    items = selectors.item_options()  # once for the seven item selects of the four forms
    for form in item_forms.values():
        form.offer_items(items)
    return {
        "holder": holder,
        "stock": stock,
        "low": [c for c in stock if c.is_low],
        "entries": selectors.entries_for(user=user, holder=holder, limit=30),
        "transfers": list(selectors.transfer_list_for(user=user, holder=holder, limit=20)),
        "requests": list(selectors.request_list_for(user=user, holder=holder, limit=10)),
        "adjustments": list(selectors.adjustment_list_for(user=user, holder=holder, limit=10)),
        "reversible": [str(k) for k in ledger.REVERSIBLE_KINDS],
        "keeps": may.keep_ledger,
        "manages": may.manage,
        "may_send": may.send,
        **item_forms,
        # The send form's picker shows the holder chosen before a refusal, not all holders.
        "chosen_destination": transfer_form.chosen_destination(),
        "period_form": PeriodForm(initial={"since": today.replace(day=1), "until": today}),
        "open": forms_.get("open", ""),
        "chart": {
            "items": [c.item_name for c in stock],
            "balance": [c.balance for c in stock],
            "days": [c.days for c in stock],
            "threshold": low_stock_threshold(),
        },
    }


def _refused(request: AuthenticatedRequest, holder: Holder, **forms_: Any) -> HttpResponse:
    """The holder's page again, with the refused form open and its errors on it."""
    context = _holder_context(request, holder, **forms_)
    return render(request, "supplies/holder.html", context, status=422)


@require_GET
@login_required
@domain_errors_as_http
def holder_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A holder's stock with days of cover, its ledger, and the forms to write it."""
    holder = selectors.holder_get_for(user=request.user, holder_id=pk)
    return render(request, "supplies/holder.html", _holder_context(request, holder))


@require_POST
@login_required
@domain_errors_as_http
def receipt_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record goods received: a purchase, a donation or an allocation from above."""
    holder = selectors.holder_get_for(user=request.user, holder_id=pk)
    form = ReceiptForm(request.POST, prefix="r")
    if form.is_valid():
        d = form.cleaned_data
        try:
            entry = ledger.receipt_record(
                actor=request.user,
                holder=holder,
                item=d["item"],
                kind=d["kind"],
                quantity=d["quantity"],
                counterparty=d["counterparty"],
                occurred_on=d["occurred_on"],
                voucher_no=d["voucher_no"],
            )
        except DomainError as exc:
            field_errors(form, exc, {})
        else:
            messages.success(request, _("Receipt %(v)s recorded.") % {"v": entry.voucher_no})
            return redirect("supplies_holder", pk=holder.pk)
    return _refused(request, holder, receipt_form=form, open="receipt")


@require_POST
@login_required
@domain_errors_as_http
def consumption_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record goods used; refused beyond the balance."""
    holder = selectors.holder_get_for(user=request.user, holder_id=pk)
    form = ConsumptionForm(request.POST, prefix="c")
    if form.is_valid():
        d = form.cleaned_data
        try:
            ledger.consumption_record(
                actor=request.user,
                holder=holder,
                item=d["item"],
                quantity=d["quantity"],
                purpose=d["purpose"],
                occurred_on=d["occurred_on"],
            )
        except DomainError as exc:
            field_errors(form, exc, {})
        else:
            messages.success(request, _("Consumption recorded."))
            return redirect("supplies_holder", pk=holder.pk)
    return _refused(request, holder, consumption_form=form, open="consumption")


@require_POST
@login_required
@domain_errors_as_http
def adjustment_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Propose a stocktake adjustment, for the supplies group to approve."""
    holder = selectors.holder_get_for(user=request.user, holder_id=pk)
    form = AdjustmentForm(request.POST, prefix="a")
    if form.is_valid():
        d = form.cleaned_data
        try:
            stocktakes.adjustment_propose(
                actor=request.user,
                holder=holder,
                item=d["item"],
                counted=d["counted"],
                reason=d["reason"],
            )
        except DomainError as exc:
            field_errors(form, exc, {})
        else:
            messages.success(
                request, _("Stocktake adjustment proposed: the supplies group approves it.")
            )
            return redirect("supplies_holder", pk=holder.pk)
    return _refused(request, holder, adjustment_form=form, open="adjustment")


@require_POST
@login_required
@domain_errors_as_http
def transfer_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Send goods from this holder to another one in sight."""
    holder = selectors.holder_get_for(user=request.user, holder_id=pk)
    destinations = selectors.holder_list_for(user=request.user).exclude(pk=holder.pk)
    form = TransferForm(request.POST, prefix="t", destinations=destinations)
    if form.is_valid():
        pairs = form.line_pairs()
        if not form.errors:
            try:
                transfer = transfer_services.transfer_send(
                    actor=request.user,
                    source=holder,
                    destination=form.cleaned_data["destination"],
                    lines=[transfer_services.LineIn(item, qty) for _f, item, qty in pairs],
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                if exc.code == "insufficient_stock":
                    exc.errors = []
                field_errors(
                    form, exc, {f"lines.{i}.quantity": f for i, (f, _i, _q) in enumerate(pairs)}
                )
            else:
                messages.success(request, _("Transfer %(v)s sent.") % {"v": transfer.voucher_no})
                return redirect("supplies_transfer", pk=transfer.pk)
    return _refused(request, holder, transfer_form=form, open="transfer")


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
