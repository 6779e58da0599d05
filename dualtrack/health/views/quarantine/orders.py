"""Quarantine orders' pages: the list with its filters, the new-order form (prefilled from a
health alert with ``?alert=``), an order's page, its full numbers (audited), its release notice
and the export of orders."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.areas.scoping import Permission
from dualtrack.areas.selectors import area_options_for
from dualtrack.core.errors import DomainError, NotFound
from dualtrack.core.forms import ConfirmForm, add_domain_error
from dualtrack.core.media_types import PDF
from dualtrack.core.views import (
    AuthenticatedRequest,
    choice_labels,
    domain_errors_as_http,
    href_parts,
    is_htmx,
    query_id,
)
from dualtrack.health.access.quarantine import (
    may_export_anywhere,
    may_manage_anywhere,
    order_abilities,
)
from dualtrack.health.models import OrderStatus, QuarantineKind, QuarantineOrder
from dualtrack.health.quarantine_documents import release_notice_pdf
from dualtrack.health.selectors import quarantine as selectors
from dualtrack.health.services import quarantine as order_services
from dualtrack.health.services import quarantine_checks
from dualtrack.health.services.quarantine_exports import orders_export_start
from dualtrack.health.views.quarantine import forms as qforms

LIST_PAGE = 200


def _managed_areas(user: Any) -> Any:
    return area_options_for(user=user, permission=Permission.MANAGE_QUARANTINE)


def _filters(form: qforms.FilterForm) -> selectors.OrderFilters:
    if not form.is_valid():
        return selectors.OrderFilters()
    d = form.cleaned_data
    return selectors.OrderFilters(
        status=d["status"] or "",
        kind=d["kind"] or "",
        site_id=d["site"].pk if d["site"] else None,
        area_id=d["area"].pk if d["area"] else None,
        ending_within=d["ending_within"],
        missed=bool(d["missed"]),
        q=d["q"] or "",
    )


@require_GET
@login_required
def order_list(request: AuthenticatedRequest) -> HttpResponse:
    """The orders in sight, filtered; those with a missed check since yesterday flagged."""
    user = request.user
    form = qforms.FilterForm(
        request.GET or None,
        areas=area_options_for(user=user),
        sites=selectors.site_list_for(user=user),
    )
    orders = _order_rows(user, _filters(form))
    context = {
        "form": form,
        "orders": orders,
        "may_place": may_manage_anywhere(user),
        "may_export": may_export_anywhere(user),
        "limit": LIST_PAGE,
        "query": request.GET.urlencode(),
    }
    template = "health/quarantine/order_list.html"
    return render(request, f"{template}#results" if is_htmx(request) else template, context)


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One line of the list, as shown: its texts made once here rather than looked up and
    formatted field by field in the template (two hundred lines a page)."""

    pk: int
    href: str
    name: str
    area: str
    kind: str
    site: str
    period: str
    active: bool
    status: str
    missed: int


# The columns the list shows: not the person's encrypted numbers, decrypted for nothing.
_ROW_COLUMNS = ("pk", "name", "area__name", "kind", "site__name", "starts_on", "ends_on", "status")


def _order_rows(user: Any, filters: selectors.OrderFilters) -> list[OrderRow]:
    """The first ``LIST_PAGE`` orders in sight through ``filters``, as the list's lines."""
    rows = list(
        selectors.order_list_for(user=user, filters=filters).values_list(*_ROW_COLUMNS)[:LIST_PAGE]
    )
    missed = selectors.missed_for_order_ids(order_ids=[row[0] for row in rows])
    kinds = choice_labels(QuarantineKind)
    statuses = choice_labels(OrderStatus)
    head, tail = href_parts("quarantine_order_detail")
    return [
        OrderRow(
            pk=pk,
            href=f"{head}{pk}{tail}",
            name=name,
            area=area,
            kind=kinds.get(kind, kind),
            site=site or "",
            period=f"{starts_on:%Y-%m-%d} – {ends_on:%Y-%m-%d}",
            active=status == OrderStatus.ACTIVE,
            status=statuses.get(status, status),
            missed=len(missed.get(pk, ())),
        )
        for pk, name, area, kind, site, starts_on, ends_on, status in rows
    ]


def _new_form(request: AuthenticatedRequest, data: Any = None, initial: Any = None) -> Any:
    user = request.user
    return qforms.OrderForm(
        data,
        initial=initial,
        areas=_managed_areas(user),
        sites=selectors.site_list_for(user=user, open_only=True),
    )


def _alert_initial(request: AuthenticatedRequest, alert_id: int) -> dict[str, Any]:
    alert = selectors.open_alert_for_order(user=request.user, alert_id=alert_id)
    initial: dict[str, Any] = {
        "alert": alert.pk,
        "name": alert.name,
        "area": alert.area_id,
        "kind": alert.proposed or "home",
        "source": "screening" if alert.record_id else "other",
        "reason": f"{alert.get_kind_display()}：{alert.detail}"[:300],
        "person_kind": "resident" if alert.resident_id else "visitor",
        "resident_id": alert.resident_id,
        "last_exposure": timezone.localdate(alert.raised_at),
    }
    return initial


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def order_new(request: AuthenticatedRequest) -> HttpResponse:
    """Place a person under quarantine; ``?alert=<id>`` prefills from a health alert."""
    user = request.user
    if not may_manage_anywhere(user):
        raise NotFound()
    if request.method != "POST":
        alert_id = query_id(request, "alert")
        initial = (
            _alert_initial(request, alert_id)
            if alert_id
            else {"kind": "home", "person_kind": "resident", "source": "screening"}
        )
        context = {"form": _new_form(request, initial=initial), "alert_id": alert_id}
        return render(request, "health/quarantine/order_form.html", context)
    form = _new_form(request, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            order = _place(request, d)
        except DomainError as exc:
            qforms.add_refusal(form, exc)
        else:
            messages.success(request, _("%(name)s is under quarantine.") % {"name": order.name})
            return redirect("quarantine_order_detail", pk=order.pk)
    context = {"form": form, "alert_id": form.data.get("alert")}
    return render(request, "health/quarantine/order_form.html", context, status=422)


def _place(request: AuthenticatedRequest, d: dict[str, Any]) -> QuarantineOrder:
    user = request.user
    try:
        person = selectors.order_person_for(
            user=user,
            person_kind=d["person_kind"],
            resident_id=d["resident_id"],
            employee_id=d["employee_id"],
            area_id=d["area"].pk if d["area"] else None,
            name=d["name"],
            id_number=d["id_number"],
            phone=d["phone"],
            address=d["address"],
        )
    except NotFound as exc:
        if exc.errors:  # a field named already (the area)
            raise
        field = "employee_id" if d["person_kind"] == "worker" else "resident_id"
        message = str(exc.message)
        raise NotFound(message, errors=[{"field": field, "message": message}]) from exc
    alert = selectors.open_alert_for_order(user=user, alert_id=d["alert"]) if d["alert"] else None
    return order_services.order_place(
        actor=user,
        kind=d["kind"],
        person_kind=d["person_kind"],
        area=person.area,
        name=person.name,
        id_number=person.id_number,
        phone=person.phone,
        address=person.address,
        resident=person.resident,
        employee=person.employee,
        reason=d["reason"],
        source=d["source"],
        last_exposure=d["last_exposure"],
        site=d["site"],
        room=d["room"],
        alert=alert,
    )


def detail_context(
    request: AuthenticatedRequest, order: QuarantineOrder, **forms_: Any
) -> dict[str, Any]:
    """The order's page: facts, checks, missed slots, changes and the forms the user may use."""
    user = request.user
    may = order_abilities(user, order)
    checks = list(selectors.checks_of(order=order))
    sites = selectors.site_list_for(user=user, open_only=True)
    today = timezone.localdate()
    active = order.status == "active"
    return {
        "order": order,
        "may": may,
        "active": active,
        "checks": checks,
        "alarm": any(c.is_fever or c.symptoms for c in checks),
        "missed": selectors.order_missed(order=order),
        "changes": list(selectors.changes_of(order=order)),
        "revealed": False,
        "check_url": request.build_absolute_uri(
            reverse("quarantine_self_check", args=[order.check_token])
        )
        if may.manage and active and not order.check_token_revoked
        else "",
        "release_due": active and today >= order.ends_on,
        "check_form": forms_.get("check_form")
        or qforms.CheckForm(initial={"day": today, "period": _period_now()}),
        "move_form": forms_.get("move_form") or qforms.MoveForm(sites=sites),
        "extend_form": forms_.get("extend_form")
        or qforms.ExtendForm(initial={"ends_on": order.ends_on + datetime.timedelta(days=7)}),
        "end_form": forms_.get("end_form") or qforms.ReasonForm(prefix="end"),
        "release_form": forms_.get("release_form") or qforms.ReasonForm(prefix="release"),
        "hospital_form": forms_.get("hospital_form") or qforms.HospitalForm(),
        "link_form": forms_.get("link_form") or qforms.LinkForm(),
        "open": forms_.get("open", ""),
    }


def _period_now() -> str:
    from dualtrack.health.selectors.quarantine_slots import current_slot

    return current_slot().period


@require_GET
@login_required
@domain_errors_as_http
def order_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    order = selectors.order_get_for(user=request.user, order_id=pk)
    return render(request, "health/quarantine/order_detail.html", detail_context(request, order))


@require_POST
@login_required
@never_cache
@domain_errors_as_http
def order_reveal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The order with its full ID number and mobile, for a role that may see them; the view is
    written to the audit trail."""
    order = selectors.order_get_for(user=request.user, order_id=pk)
    quarantine_checks.order_unmasked_view(actor=request.user, order=order, note="order page")
    context = detail_context(request, order)
    context["revealed"] = True
    template = "health/quarantine/order_detail.html"
    return render(request, f"{template}#person" if is_htmx(request) else template, context)


@require_GET
@login_required
@domain_errors_as_http
def order_notice(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The release notice (解除隔离通知书) as a PDF download; an order not released has none."""
    order = selectors.order_get_for(user=request.user, order_id=pk)
    if not order.notice_number:
        raise NotFound()
    content = release_notice_pdf(order, checks=selectors.checks_of(order=order).count())
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="notice-{order.notice_number}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def order_export(request: AuthenticatedRequest) -> HttpResponse:
    """Export the orders the list's filters select, with full numbers, as a background job."""
    user = request.user
    form = qforms.FilterForm(
        request.POST or request.GET or None,
        areas=area_options_for(user=user),
        sites=selectors.site_list_for(user=user),
    )
    confirm = ConfirmForm(request.POST or None)
    if request.method == "POST":
        try:
            job = orders_export_start(actor=user, filters=_filters(form))
        except DomainError as exc:
            add_domain_error(confirm, exc)
        else:
            return redirect("job_detail", pk=job.pk)
    context = {"form": form, "confirm": confirm, "may_export": may_export_anywhere(user)}
    status = 422 if confirm.errors and request.method == "POST" else 200
    return render(request, "health/quarantine/export.html", context, status=status)
