"""The rate limit of the government services' public pages and routes (the catalogue, filing,
tracking, booking), per client address, counted in the database (``core.ratelimit``) so that it
holds across every gunicorn worker; the pages and the API share one allowance."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from dualtrack.core import ratelimit


def allow(request: HttpRequest) -> bool:
    """Count one request from the client; False once the rate is exceeded in the window."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return ratelimit.allow(f"services:{address}", settings.SERVICES_PUBLIC_RATE)
