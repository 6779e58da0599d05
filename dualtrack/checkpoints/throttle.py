"""A fixed-window rate limit on the shared cache (the database cache, shared by the workers)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/m"`` → (20, 60)."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[:1].lower()]


def allow(key: str, rate: str | None = None) -> bool:
    """Count one request for ``key``; False once the rate is exceeded in the current window."""
    limit, seconds = parse_rate(rate or settings.SELF_REGISTRATION_RATE)
    window = int(time.time() // seconds)
    cache_key = f"throttle:{key}:{window}"
    if cache.add(cache_key, 1, timeout=seconds + 1):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=seconds + 1)
        return True
