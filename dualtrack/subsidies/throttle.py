"""The rate limit of the public calculator, per client address, counted atomically in the
database (``core.ratelimit``) so that it holds across every worker; the page and the API share
one allowance."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from dualtrack.core import ratelimit

DEFAULT_RATE = "30/m"


def allow(request: HttpRequest) -> bool:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    rate = getattr(settings, "SUBSIDIES_CALCULATOR_RATE", DEFAULT_RATE)
    return ratelimit.allow(f"subsidies:{address}", rate)
