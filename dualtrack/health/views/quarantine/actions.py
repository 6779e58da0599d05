"""The forms of an order's page, one small view each: record a check, move, extend, end early,
transfer to hospital, release, revoke the link. A refused form is shown again on the order's
page, open, with its errors (422)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dualtrack.core.errors import DomainError
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.health.models import QuarantineOrder
from dualtrack.health.selectors import quarantine as selectors
from dualtrack.health.services import quarantine_changes as changes
from dualtrack.health.services import quarantine_checks
from dualtrack.health.views.quarantine import forms as qforms
from dualtrack.health.views.quarantine.forms import add_refusal
from dualtrack.health.views.quarantine.orders import detail_context

StrOrPromise = str | Promise
Act = Callable[[AuthenticatedRequest, QuarantineOrder, dict[str, Any]], Any]


def _handle(
    request: AuthenticatedRequest,
    pk: int,
    form_class: Callable[..., forms.Form],
    key: str,
    act: Act,
    done: str,
    **form_kwargs: Any,
) -> HttpResponse:
    order = selectors.order_get_for(user=request.user, order_id=pk)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            act(request, order, form.cleaned_data)
        except DomainError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, done)
            return redirect("quarantine_order_detail", pk=order.pk)
    context = detail_context(request, order, **{f"{key}_form": form, "open": key})
    return render(request, "health/quarantine/order_detail.html", context, status=422)


@require_POST
@login_required
@domain_errors_as_http
def check_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(r: AuthenticatedRequest, order: QuarantineOrder, d: dict[str, Any]) -> Any:
        return quarantine_checks.check_record(
            actor=r.user,
            order=order,
            day=d["day"],
            period=d["period"],
            temperature=d["temperature"],
            symptoms=d["symptoms"],
        )

    return _handle(request, pk, qforms.CheckForm, "check", act, _("Check recorded."))


@dataclass(frozen=True)
class _Change:
    """One change of an order from its page: the form (whose cleaned fields are the service's
    keywords), the service, the message on success and the form's prefix on the page."""

    form: Callable[..., forms.Form]
    service: Callable[..., QuarantineOrder]
    done: StrOrPromise
    prefix: str | None = None
    sites: bool = False  # the form offers the user's open sites


_CHANGES: dict[str, _Change] = {
    "move": _Change(qforms.MoveForm, changes.order_move, gettext_lazy("Moved."), sites=True),
    "extend": _Change(
        qforms.ExtendForm, changes.order_extend, gettext_lazy("The order is extended.")
    ),
    "end": _Change(
        qforms.ReasonForm,
        changes.order_end_early,
        gettext_lazy("The order is ended."),
        prefix="end",
    ),
    "release": _Change(
        qforms.ReasonForm,
        changes.order_release,
        gettext_lazy("Released: the release notice can be downloaded."),
        prefix="release",
    ),
    "hospital": _Change(
        qforms.HospitalForm, changes.order_to_hospital, gettext_lazy("Transferred to hospital.")
    ),
    "link": _Change(
        qforms.LinkForm, changes.order_link_revoke, gettext_lazy("The old link no longer works.")
    ),
}


def _change_view(key: str) -> Callable[[AuthenticatedRequest, int], HttpResponse]:
    change = _CHANGES[key]

    @require_POST
    @login_required
    @domain_errors_as_http
    def view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
        def act(r: AuthenticatedRequest, order: QuarantineOrder, d: dict[str, Any]) -> Any:
            return change.service(actor=r.user, order=order, **d)

        form_kwargs: dict[str, Any] = {}
        if change.sites:
            form_kwargs["sites"] = selectors.site_list_for(user=request.user, open_only=True)
        if change.prefix:
            form_kwargs["prefix"] = change.prefix
        return _handle(request, pk, change.form, key, act, str(change.done), **form_kwargs)

    view.__name__ = view.__qualname__ = f"order_{key}"
    return view


order_move = _change_view("move")
order_extend = _change_view("extend")
order_end_early = _change_view("end")
order_release = _change_view("release")
order_to_hospital = _change_view("hospital")
order_link = _change_view("link")
