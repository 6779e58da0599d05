from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path


def index(request: HttpRequest) -> HttpResponse:  # replaced by the app's pages
    return HttpResponse("Checkpoints")


urlpatterns = [path("checkpoints/", index, name="checkpoint_index")]
