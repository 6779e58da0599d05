"""Fever and risk-area alerts: the user's inbox (checkpoints they are in charge of, villages
they are the liaison cadre of), the list of the checkpoints in scope with the escalated ones
(open for more than ALERT_ESCALATION_MINUTES) first, the handle form; and HQ's risk-area list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from dualtrack.areas.selectors import risk_area_get_for, risk_area_list_for
from dualtrack.areas.services import risk_areas
from dualtrack.checkpoints.access import checkpoint_abilities, may_manage_risk_areas
from dualtrack.checkpoints.forms import AlertHandleForm, RiskAreaForm, form_error_texts
from dualtrack.checkpoints.models import Alert
from dualtrack.checkpoints.selectors.alerts import alert_get_for, alert_inbox_for, alert_list_for
from dualtrack.checkpoints.selectors.references import town_options_for
from dualtrack.checkpoints.services import alerts as alert_services
from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, is_htmx, query_id

STATUSES = ("open", "handled", "all")


def _prefix(alert: Alert) -> str:
    return f"a{alert.pk}"


@dataclass
class AlertRow:
    """An alert as the list shows it. ``form`` is the handle form only when it comes back with
    errors; a blank one is written out by the template (``handle_fields``) from the one
    ``handle_form`` of the page: a form per alert through the field templates was most of
    the page's time with fifty open alerts."""

    alert: Alert
    can_see_person: bool
    escalated: bool
    minutes_open: int
    can_handle: bool
    prefix: str
    form: AlertHandleForm | None = None
    in_inbox: bool = False  # in the area's list: the inbox above holds it, with its form


def _row(
    request: AuthenticatedRequest,
    alert: Alert,
    *,
    form: AlertHandleForm | None = None,
    in_inbox: bool = False,
) -> AlertRow:
    now = timezone.now()
    may = checkpoint_abilities(request.user, alert.checkpoint)
    return AlertRow(
        alert=alert,
        can_see_person=may.see_alert_person,
        escalated=alert.is_escalated(now),
        minutes_open=int(((alert.handled_at or now) - alert.raised_at).total_seconds() // 60),
        can_handle=alert.is_open and may.handle_alerts,
        prefix=_prefix(alert),
        form=form,
        in_inbox=in_inbox,
    )


@require_GET
@login_required
@vary_on_headers("HX-Request")
@domain_errors_as_http
def alert_list(request: AuthenticatedRequest) -> HttpResponse:
    """The inbox and the alerts of every checkpoint in scope; escalated ones first."""
    user = request.user
    status = request.GET.get("status", "open")
    status = status if status in STATUSES else "open"
    town_id = query_id(request, "town")
    escalated_only = request.GET.get("escalated") == "1"
    inbox = [_row(request, alert) for alert in alert_inbox_for(user=user)]
    # An alert of the inbox is handled there: in the area's list below it is a line that says
    # so, not a second form (the same field ids twice; a phone's page twice as long).
    in_inbox = {row.alert.pk for row in inbox}
    alerts = [
        _row(request, alert, in_inbox=alert.pk in in_inbox)
        for alert in alert_list_for(
            user=user, status=status, town_id=town_id, escalated=True if escalated_only else None
        )
    ]
    alerts.sort(key=lambda row: not row.escalated)  # stable: escalated first, newest first
    context: dict[str, Any] = {
        "inbox": inbox,
        "alerts": alerts,
        "status": status,
        "town_id": town_id,
        "escalated_only": escalated_only,
        "towns": town_options_for(user=user),
        "escalation_minutes": settings.ALERT_ESCALATION_MINUTES,
        "escalated_count": sum(1 for row in alerts if row.escalated),
        "handle_form": AlertHandleForm(),
    }
    template = "checkpoints/alert_list.html"
    return render(request, f"{template}#alerts" if is_htmx(request) else template, context)


@require_POST
@login_required
@domain_errors_as_http
def alert_handle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Close an alert with its outcome and a note; htmx gets the alert's row back."""
    alert = alert_get_for(user=request.user, alert_id=pk)
    form = AlertHandleForm(request.POST, prefix=_prefix(alert))
    if form.is_valid():
        try:
            alert = alert_services.alert_handle(
                actor=request.user,
                alert=alert,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    failed = bool(form.errors)
    if not is_htmx(request):
        if failed:
            for error in form_error_texts(form):
                messages.error(request, error)
        else:
            messages.success(request, _("Alert handled."))
        return redirect("alert_list")
    row = _row(request, alert, form=form if failed else None)
    return render(
        request,
        "checkpoints/alert_list.html#alert_row",
        {"row": row, "handle_form": AlertHandleForm()},
        status=422 if failed else 200,
    )


# --- Risk areas ----------------------------------------------------------------------------------


def _risk_area_page(
    request: AuthenticatedRequest, *, form: RiskAreaForm | None = None, status: int = 200
) -> HttpResponse:
    can_manage = may_manage_risk_areas(request.user)
    if form is None and can_manage:
        form = RiskAreaForm(initial={"effective_from": timezone.localdate()})
    today = timezone.localdate()
    entries = list(risk_area_list_for(user=request.user)[:500])
    context = {
        "rows": [(entry, entry.is_current(today)) for entry in entries],
        "form": form if can_manage else None,
        "can_manage": can_manage,
    }
    return render(request, "checkpoints/risk_area_list.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def risk_area_list(request: AuthenticatedRequest) -> HttpResponse:
    """HQ's list of risk areas (current and past), and for its keepers a form to add one."""
    if request.method != "POST":
        return _risk_area_page(request)
    form = RiskAreaForm(request.POST)
    if form.is_valid():
        try:
            risk_area = risk_areas.risk_area_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(region)s added to the risk areas.") % {"region": risk_area.region_name},
            )
            return redirect("risk_area_list")
    return _risk_area_page(request, form=form, status=422)


@require_POST
@login_required
@domain_errors_as_http
def risk_area_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Take a region off the list from today."""
    risk_area = risk_area_get_for(user=request.user, risk_area_id=pk)
    try:
        risk_areas.risk_area_end(actor=request.user, risk_area=risk_area)
    except DomainError as exc:
        add_domain_error(RiskAreaForm(), exc)  # NotFound / PermissionDenied raise
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("%(region)s taken off the risk areas.") % {"region": risk_area.region_name}
        )
    return redirect("risk_area_list")


urlpatterns: list[URLPattern] = [
    path("checkpoints/alerts/", alert_list, name="alert_list"),
    path("checkpoints/alerts/<int:pk>/handle/", alert_handle, name="alert_handle"),
    path("checkpoints/risk-areas/", risk_area_list, name="risk_area_list"),
    path("checkpoints/risk-areas/<int:pk>/end/", risk_area_end, name="risk_area_end"),
]
