"""The register page's service worker, served from /checkpoints/ so that its scope covers the
register pages (a worker under /static/ could only control /static/)."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

SOURCE = Path(__file__).resolve().parent.parent / "static" / "checkpoints" / "sw.js"

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
    """The worker: its cache name and asset list, then the source in static/checkpoints/sw.js.
    The cache name is a digest of both, so a changed worker or asset list replaces the cache."""
    precache = [static(asset) for asset in ASSETS]
    source = SOURCE.read_text(encoding="utf-8")
    digest = hashlib.sha256((source + json.dumps(precache)).encode()).hexdigest()[:12]
    return (
        f"var CACHE_NAME = {json.dumps('dualtrack-checkpoints-' + digest)};\n"
        f"var PRECACHE = {json.dumps(precache)};\n" + source
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/checkpoints/sw.js: public (it holds no data), never cached by the HTTP cache, so that a
    new version reaches the gates on their next visit."""
    response = HttpResponse(service_worker_source(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/checkpoints/"
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns: list[URLPattern] = [
    path("checkpoints/sw.js", service_worker, name="checkpoint_service_worker"),
]
