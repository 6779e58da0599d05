"""The service worker of the pages that work offline (static/js/offline-sw.js), served from the
page's own path so that its scope covers the page (a worker under /static/ could only control
/static/): each page names its cache, its assets, the paths it keeps and how its shell is
fetched."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static

SOURCE = settings.BASE_DIR / "static" / "js" / "offline-sw.js"
# Every offline page needs the shared queue script beside its own.
SHARED_ASSETS = ("js/offline-queue.js",)


def service_worker_source(
    *, name: str, assets: Iterable[str], page_pattern: str, shell_query: str = ""
) -> str:
    """The worker: its constants, then the shared source. The cache name ends in a digest of
    both, so a changed worker or asset list replaces the cache."""
    precache = [static(asset) for asset in (*assets, *SHARED_ASSETS)]
    source = SOURCE.read_text(encoding="utf-8")
    constants = json.dumps([precache, page_pattern, shell_query])
    digest = hashlib.sha256((source + constants).encode()).hexdigest()[:12]
    prefix = f"dualtrack-{name}-"
    return (
        f"var CACHE_NAME = {json.dumps(prefix + digest)};\n"
        f"var CACHE_PREFIX = {json.dumps(prefix)};\n"
        f"var PRECACHE = {json.dumps(precache)};\n"
        f"var PAGE_PATTERN = {json.dumps(page_pattern)};\n"
        f"var SHELL_QUERY = {json.dumps(shell_query)};\n" + source
    )


def service_worker_response(source: str, *, scope: str) -> HttpResponse:
    """Public (it holds no data), never cached by the HTTP cache, so that a new version reaches
    the phones on their next visit."""
    response = HttpResponse(source, content_type="application/javascript")
    response["Service-Worker-Allowed"] = scope
    response["Cache-Control"] = "no-cache"
    return response
