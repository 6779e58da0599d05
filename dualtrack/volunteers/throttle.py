"""The rate limit of the public sign-up page, per client address, counted in the database
(``core.ratelimit``) so that it holds across every worker."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from dualtrack.core import ratelimit


def allow(request: HttpRequest) -> bool:
    """Count one sign-up attempt from the client; False once the rate is exceeded."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return ratelimit.allow(f"volunteers:{address}", settings.VOLUNTEERS_PUBLIC_RATE)
