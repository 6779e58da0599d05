"""The health alerts' pages: the list in scope (open, handled or all; by town; escalated first),
one alert with whom and what it is about and the proposed quarantine, and its handle form (htmx
swaps the handling section; a refusal answers 422 with the form's errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, is_htmx, query_id
from dualtrack.health.access.alerts import (
    health_alert_permissions,
    is_escalated,
    may_place_quarantine,
)
from dualtrack.health.models import AlertOutcome, HealthAlert
from dualtrack.health.selectors.alerts import (
    STATUSES,
    health_alert_get_for,
    health_alert_list_for,
    health_alert_town_options_for,
)
from dualtrack.health.services import alerts as alert_services


class HealthAlertHandleForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=[("", "—"), *AlertOutcome.choices]
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=alert_services.NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _row(request: AuthenticatedRequest, alert: HealthAlert) -> dict[str, Any]:
    now = timezone.now()
    may = health_alert_permissions(request.user, alert)
    return {
        "alert": alert,
        "see_person": may.see_person,
        "escalated": is_escalated(alert, now),
        "minutes_open": int(((alert.handled_at or now) - alert.raised_at).total_seconds() // 60),
    }


@require_GET
@login_required
@vary_on_headers("HX-Request")
@domain_errors_as_http
def alert_list(request: AuthenticatedRequest) -> HttpResponse:
    """The alerts in scope, the escalated first, then the newest."""
    user = request.user
    status = request.GET.get("status", "open")
    status = status if status in STATUSES else "open"
    town_id = query_id(request, "town")
    rows = [
        _row(request, alert)
        for alert in health_alert_list_for(user=user, status=status, town_id=town_id)
    ]
    rows.sort(key=lambda row: not row["escalated"])  # stable: escalated first, newest first
    context = {
        "rows": rows,
        "status": status,
        "town_id": town_id,
        "towns": health_alert_town_options_for(user=user),
        "escalation_minutes": settings.ALERT_ESCALATION_MINUTES,
        "escalated_count": sum(1 for row in rows if row["escalated"]),
    }
    template = "health/alerts/list.html"
    return render(request, f"{template}#alerts" if is_htmx(request) else template, context)


def _detail_context(
    request: AuthenticatedRequest, alert: HealthAlert, form: HealthAlertHandleForm | None = None
) -> dict[str, Any]:
    may = health_alert_permissions(request.user, alert)
    is_open = alert.handled_at is None
    can_handle = is_open and may.handle
    return {
        **_row(request, alert),
        "escalation_minutes": settings.ALERT_ESCALATION_MINUTES,
        "can_handle": can_handle,
        "form": form or (HealthAlertHandleForm() if can_handle else None),
        "new_order_url": f"{reverse('quarantine_order_new')}?alert={alert.pk}"
        if is_open and may_place_quarantine(request.user, alert)
        else "",
    }


@require_GET
@login_required
@domain_errors_as_http
def alert_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One alert: who and what, the proposed quarantine, and what was done or the form to do it."""
    alert = health_alert_get_for(user=request.user, alert_id=pk)
    return render(request, "health/alerts/detail.html", _detail_context(request, alert))


@require_POST
@login_required
@domain_errors_as_http
def alert_handle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Close the alert with its outcome and a note; htmx gets the handling section back."""
    alert = health_alert_get_for(user=request.user, alert_id=pk)
    form = HealthAlertHandleForm(request.POST)
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
    if not failed and not is_htmx(request):
        messages.success(request, _("Alert handled."))
        return redirect("health_alert_detail", pk=alert.pk)
    template = "health/alerts/detail.html"
    return render(
        request,
        f"{template}#handling" if is_htmx(request) else template,
        _detail_context(request, alert, form=form if failed else None),
        status=422 if failed else 200,
    )


urlpatterns: list[URLPattern] = [
    path("health/alerts/", alert_list, name="health_alert_list"),
    path("health/alerts/<int:pk>/", alert_detail, name="health_alert_detail"),
    path("health/alerts/<int:pk>/handle/", alert_handle, name="health_alert_handle"),
]
