"""The early-warning panel: the signals in scope (open by default, the newest day first), one
signal with the charts of its series (the baseline band), Rt with its interval and the projection
with its bands, and the forms to acknowledge or close it (htmx swaps the handling section; a
refusal answers 422 with the form's errors)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from dualtrack.core.errors import DomainError, NotFound
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, is_htmx
from dualtrack.prediction import presenters, selectors
from dualtrack.prediction.access import may_recompute, signal_abilities
from dualtrack.prediction.models import Signal, SignalState
from dualtrack.prediction.services import signals as signal_services

CHART_DAYS = 42
STATE_CHOICES = ("open", "acknowledged", "closed", "all")


class SignalNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=signal_services.NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@require_GET
@login_required
@vary_on_headers("HX-Request")
@domain_errors_as_http
def panel(request: AuthenticatedRequest) -> HttpResponse:
    """The signals in scope, the newest day first, with their method and level."""
    user = request.user
    if not selectors.may_view_any(user):
        raise NotFound()
    state = request.GET.get("state", "open")
    state = state if state in STATE_CHOICES else "open"
    signals = list(selectors.signal_list_for(user=user, state=state))
    run = selectors.last_run()
    context = {
        "rows": [{"signal": s, "summary": presenters.signal_out(s)} for s in signals],
        "state": state,
        "run": run,
        "newest_day": run.end if run else None,
        "may_recompute": may_recompute(user),
    }
    template = "prediction/panel.html"
    return render(request, f"{template}#signals" if is_htmx(request) else template, context)


def _chart(request: AuthenticatedRequest, signal: Signal) -> dict[str, Any]:
    end = signal.last_day
    period = selectors.period_of(end - datetime.timedelta(days=CHART_DAYS - 1), end)
    days = [
        presenters.series_day_out(row)
        for row in selectors.scores_for(
            user=request.user, area=signal.area, series=signal.series, period=period
        )
    ]
    rt = [
        presenters.rt_out(e)
        for e in selectors.rt_for(
            user=request.user, area=signal.area, series=signal.series, period=period
        )
    ]
    projection = presenters.projection_out(
        list(selectors.projection_for(user=request.user, area=signal.area, series=signal.series))
    )
    return {
        "titles": {
            "series": selectors.series_label(signal.series),
            # xgettext:no-python-format
            "rt": _("Rt (7-day windows) with its 95% interval"),
            "projection": _("Projection: the next 14 days"),
        },
        "labels": {
            "count": _("Count"),
            "band": _("Baseline band (C2: mean to the threshold)"),
            "mean": _("Baseline mean"),
            "rt": _("Rt (posterior mean)"),
            # xgettext:no-python-format
            "interval": _("95% interval"),
            "too_few": _("Too few cases (greyed)"),
            "median": _("Median"),
            "band50": _("50% band"),
            "band95": _("95% band"),
            "one": _("Rt = 1"),
        },
        "days": [
            {
                "day": d["day"].isoformat(),
                "count": d["count"],
                "mean": d["c2_mean"],
                "upper": d["c2_upper"],
                "flag": d["c1_flag"] or d["c2_flag"] or d["c3_flag"],
            }
            for d in days
        ],
        "rt": [
            {
                "day": r["day"].isoformat(),
                "mean": r["mean"],
                "lower": r["lower"],
                "upper": r["upper"],
                "too_few": r["too_few_cases"],
            }
            for r in rt
        ],
        "projection": [
            {
                "day": p["day"].isoformat(),
                "median": p["median"],
                "lower_50": p["lower_50"],
                "upper_50": p["upper_50"],
                "lower_95": p["lower_95"],
                "upper_95": p["upper_95"],
            }
            for p in projection["days"]
        ],
        "rt_rows": rt,
        "projection_out": projection,
    }


def _detail_context(
    request: AuthenticatedRequest, signal: Signal, form: SignalNoteForm | None = None
) -> dict[str, Any]:
    may = signal_abilities(request.user, signal.area)
    chart = _chart(request, signal)
    rt_rows = chart.pop("rt_rows")
    projection = chart.pop("projection_out")
    return {
        "signal": signal,
        "summary": presenters.signal_out(signal),
        "can_handle": may.handle and signal.state != SignalState.CLOSED,
        "can_acknowledge": may.handle and signal.state == SignalState.OPEN,
        "form": form or SignalNoteForm(),
        "chart": chart,
        "rt_rows": rt_rows[-14:],
        "projection": projection,
    }


@require_GET
@login_required
@domain_errors_as_http
def signal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One signal: what flagged, the charts behind it, the records, and its handling."""
    signal = selectors.signal_get_for(user=request.user, signal_id=pk)
    return render(request, "prediction/signal.html", _detail_context(request, signal))


def _handle(request: AuthenticatedRequest, pk: int, verb: str) -> HttpResponse:
    signal = selectors.signal_get_for(user=request.user, signal_id=pk)
    form = SignalNoteForm(request.POST)
    if form.is_valid():
        try:
            if verb == "close":
                signal = signal_services.signal_close(
                    actor=request.user, signal=signal, note=form.cleaned_data["note"]
                )
            else:
                signal = signal_services.signal_acknowledge(
                    actor=request.user, signal=signal, note=form.cleaned_data["note"]
                )
        except DomainError as exc:
            add_domain_error(form, exc)
    failed = bool(form.errors)
    if not failed and not is_htmx(request):
        messages.success(
            request, _("Signal closed.") if verb == "close" else _("Signal acknowledged.")
        )
        return redirect("prediction_signal", pk=signal.pk)
    template = "prediction/signal.html"
    return render(
        request,
        f"{template}#handling" if is_htmx(request) else template,
        _detail_context(request, signal, form=form if failed else None),
        status=422 if failed else 200,
    )


@require_POST
@login_required
@domain_errors_as_http
def signal_acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Acknowledge an open signal with an optional note."""
    return _handle(request, pk, "acknowledge")


@require_POST
@login_required
@domain_errors_as_http
def signal_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Close a signal with a note."""
    return _handle(request, pk, "close")


urlpatterns: list[URLPattern] = [
    path("prediction/", panel, name="prediction_panel"),
    path("prediction/signals/<int:pk>/", signal_detail, name="prediction_signal"),
    path(
        "prediction/signals/<int:pk>/acknowledge/",
        signal_acknowledge,
        name="prediction_signal_acknowledge",
    ),
    path("prediction/signals/<int:pk>/close/", signal_close, name="prediction_signal_close"),
]
