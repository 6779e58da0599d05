"""Recompute the early warning on demand (the prevention working group, the district
administrator): a form, then the job's page with its progress."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.prediction import conf
from dualtrack.prediction.access import require_recompute
from dualtrack.prediction.forms import RecomputeForm
from dualtrack.prediction.services.recompute import recompute_start


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
@domain_errors_as_http
def recompute(request: AuthenticatedRequest) -> HttpResponse:
    require_recompute(request.user)
    params = conf.parameters()
    form = RecomputeForm(
        request.POST if request.method == "POST" else None,
        initial={
            "end": timezone.localdate() - datetime.timedelta(days=1),
            "si_mean": params.si_mean,
            "si_sd": params.si_sd,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = recompute_start(
                actor=request.user,
                end=data["end"],
                start=data["start"],
                si_mean=data["si_mean"],
                si_sd=data["si_sd"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return job_started(job)
    status = 422 if request.method == "POST" else 200
    return render(request, "prediction/recompute.html", {"form": form}, status=status)


urlpatterns: list[URLPattern] = [
    path("prediction/recompute/", recompute, name="prediction_recompute"),
]
