"""A transfer's page: its lines, the receiver's confirmation, and the hand-over receipt."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import ConfirmForm, add_domain_error
from dualtrack.core.media_types import PDF
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.supplies import access, selectors
from dualtrack.supplies.documents import receipt_pdf
from dualtrack.supplies.services import transfers as transfer_services


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
        received: dict[int, object] = {}
        reasons: dict[int, str] = {}
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
        "may_receive": access.may_receive(request.user, transfer),
    }
    return render(request, "supplies/transfer.html", context, status=422 if form.errors else 200)


@require_GET
@login_required
@domain_errors_as_http
def transfer_receipt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The hand-over receipt (物资交接单) as a PDF download."""
    transfer = selectors.transfer_get_for(user=request.user, transfer_id=pk)
    response = HttpResponse(receipt_pdf(transfer), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="receipt-{transfer.voucher_no}.pdf"'
    return response
