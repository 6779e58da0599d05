"""The public QR self-registration's rate limit, per client address, counted atomically in the
database (``core.ratelimit``), so that it holds across every gunicorn worker."""

from __future__ import annotations

from django.conf import settings

from dualtrack.core import ratelimit


def allow(key: str, rate: str | None = None) -> bool:
    """Count one request for ``key``; False once the rate is exceeded in the current window."""
    return ratelimit.allow(key, rate or settings.SELF_REGISTRATION_RATE)
