"""The supplies home page, the catalogue and registering holders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import (
    AuthenticatedRequest,
    choice_labels,
    domain_errors_as_http,
    href_parts,
    is_htmx,
)
from dualtrack.supplies import access, figures, selectors
from dualtrack.supplies.forms import HolderForm, ItemForm
from dualtrack.supplies.models import AdjustmentStatus, Holder, HolderKind, tier_of
from dualtrack.supplies.services import catalogue
from dualtrack.supplies.views.common import low_stock_threshold

# The most rows of the index's lists; the lowest stock comes first.
HOLDERS_SHOWN = 200
LOW_SHOWN = 100


@dataclass(frozen=True)
class HolderRow:
    """A line of the holders' list."""

    pk: int
    href: str
    name: str
    kind: str  # the kind's label
    area: str
    tier: int


def _holder_rows(matching: QuerySet[Holder]) -> list[HolderRow]:
    """The first ``HOLDERS_SHOWN`` holders as the list's lines, from the columns it shows: two
    hundred holders made into model rows with their areas cost more than the query."""
    head, tail = href_parts("supplies_holder")
    kinds = choice_labels(HolderKind)
    columns = ("pk", "name", "kind", "front_line", "area__name")
    return [
        HolderRow(
            pk=pk,
            href=f"{head}{pk}{tail}",
            name=name,
            kind=kinds.get(kind, kind),
            area=area,
            tier=tier_of(kind, front_line),
        )
        for pk, name, kind, front_line, area in matching.values_list(*columns)[:HOLDERS_SHOWN]
    ]


@require_GET
@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    """Holders in sight, low-stock alerts, transfers to confirm and requests to decide."""
    user = request.user
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()[:50]
    matching = selectors.holder_list_for(user=user, kind=kind, q=q)
    holders = _holder_rows(matching)
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
    low = figures.low_stock_for(user=user)
    head, tail = href_parts("supplies_holder")
    context.update(
        {
            # Each line with its holder's link, joined rather than reversed a line.
            "low": [(c, f"{head}{c.holder_id}{tail}") for c in low[:LOW_SHOWN]],
            "low_count": len(low),
            "awaiting": list(selectors.transfers_awaiting_receipt(user=user)[:50]),
            "pending_requests": figures.pending_request_count(user=user),
            "adjustments": list(
                selectors.adjustment_list_for(user=user, status=AdjustmentStatus.PENDING)
            ),
            "manager": access.may_manage_supplies(user),
            "chart": {
                "labels": [f"{c.holder_name} · {c.item_name}" for c in low[:15]],
                "days": [c.days for c in low[:15]],
                "threshold": low_stock_threshold(),
            },
        }
    )
    return render(request, "supplies/index.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def holder_new(request: AuthenticatedRequest) -> HttpResponse:
    """The supplies group registers a holder (a quarantine site, the store)."""
    access.require_manager(request.user)
    form = HolderForm(request.POST or None, user=request.user)
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


@require_POST
@login_required
@domain_errors_as_http
def holders_sync(request: AuthenticatedRequest) -> HttpResponse:
    """Add the missing holders of every town, village, checkpoint and enterprise at once."""
    added = catalogue.holders_sync(actor=request.user)
    messages.success(request, _("%(n)s holders added.") % {"n": added})
    return redirect("supplies_index")


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def item_list(request: AuthenticatedRequest) -> HttpResponse:
    """The catalogue; the supplies group adds items."""
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = catalogue.item_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Item “%(name)s” added.") % {"name": item.name})
            return redirect("supplies_items")
    context = {
        "items": selectors.item_list(),
        "form": form,
        "manager": access.may_manage_supplies(request.user),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "supplies/items.html", context, status=status)
