"""The register page's service worker, served from /checkpoints/ so that its scope covers the
register pages (a worker under /static/ could only control /static/)."""

from __future__ import annotations

import functools

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from dualtrack.core import offline

# What the register page needs to work offline; the page itself is cached as it is visited.
ASSETS = (
    "css/app.css",
    "checkpoints/checkpoints.css",
    "vendor/htmx.min.js",
    "js/app.js",
    "js/htmx_errors.js",
    "checkpoints/register.js",
)


@functools.cache
def service_worker_source() -> str:
    """The shared worker, keeping the register pages' shells (without their lists of people)."""
    return offline.service_worker_source(
        name="checkpoints",
        assets=ASSETS,
        page_pattern=r"^/checkpoints/\d+/register/$",
        shell_query="?shell=1",
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/checkpoints/sw.js."""
    return offline.service_worker_response(service_worker_source(), scope="/checkpoints/")


urlpatterns: list[URLPattern] = [
    path("checkpoints/sw.js", service_worker, name="checkpoint_service_worker"),
]
