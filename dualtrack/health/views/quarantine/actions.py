"""The forms of an order's page, one small view each: record a check, move, extend, end early,
transfer to hospital, release, revoke the link. A refused form is shown again on the order's
page, open, with its errors (422)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
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


@require_POST
@login_required
@domain_errors_as_http
def order_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(r: AuthenticatedRequest, order: QuarantineOrder, d: dict[str, Any]) -> Any:
        return changes.order_move(
            actor=r.user,
            order=order,
            kind=d["kind"],
            site=d["site"],
            room=d["room"],
            reason=d["reason"],
        )

    sites = selectors.site_list_for(user=request.user, open_only=True)
    return _handle(request, pk, qforms.MoveForm, "move", act, _("Moved."), sites=sites)


@require_POST
@login_required
@domain_errors_as_http
def order_extend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(r: AuthenticatedRequest, order: QuarantineOrder, d: dict[str, Any]) -> Any:
        return changes.order_extend(
            actor=r.user, order=order, ends_on=d["ends_on"], reason=d["reason"]
        )

    return _handle(request, pk, qforms.ExtendForm, "extend", act, _("The order is extended."))


@require_POST
@login_required
@domain_errors_as_http
def order_end_early(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(r: AuthenticatedRequest, order: QuarantineOrder, d: dict[str, Any]) -> Any:
        return changes.order_end_early(actor=r.user, order=order, reason=d["reason"])

    return _handle(
        request, pk, qforms.ReasonForm, "end", act, _("The order is ended."), prefix="end"
    )


@require_POST
@login_required
@domain_errors_as_http
def order_release(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(r: AuthenticatedRequest, order: QuarantineOrder, d: dict[str, Any]) -> Any:
        return changes.order_release(actor=r.user, order=order, reason=d["reason"])

    return _handle(
        request,
        pk,
        qforms.ReasonForm,
        "release",
        act,
        _("Released: the release notice can be downloaded."),
        prefix="release",
    )


@require_POST
@login_required
@domain_errors_as_http
def order_to_hospital(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(r: AuthenticatedRequest, order: QuarantineOrder, d: dict[str, Any]) -> Any:
        return changes.order_to_hospital(
            actor=r.user, order=order, hospital=d["hospital"], reason=d["reason"]
        )

    return _handle(request, pk, qforms.HospitalForm, "hospital", act, _("Transferred to hospital."))


@require_POST
@login_required
@domain_errors_as_http
def order_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(r: AuthenticatedRequest, order: QuarantineOrder, d: dict[str, Any]) -> Any:
        return changes.order_link_revoke(
            actor=r.user, order=order, reason=d["reason"], renew=d["renew"]
        )

    return _handle(request, pk, qforms.LinkForm, "link", act, _("The old link no longer works."))
