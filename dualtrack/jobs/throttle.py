"""The rate limit of the public routes (applying, codes, personal links, introducers' sign-up),
per client address, counted atomically in the database (``core.ratelimit``) so that it holds
across every gunicorn worker; the pages and the API share one allowance."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from dualtrack.core import ratelimit


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(request: HttpRequest) -> bool:
    """Count one request from the client; False once the rate is exceeded in the window."""
    return ratelimit.allow(f"jobs:{client_address(request)}", settings.JOBS_PUBLIC_RATE)
