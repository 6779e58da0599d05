from __future__ import annotations

from django.http import HttpResponse
from django.urls import path

from dualtrack.core.views import AuthenticatedRequest


def signal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return HttpResponse("")


urlpatterns = [path("prediction/signals/<int:pk>/", signal_detail, name="prediction_signal")]
