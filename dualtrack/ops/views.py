"""``/healthz`` for load balancers and ``/metrics`` for Prometheus: neither needs an account;
``/metrics`` answers only the addresses and the bearer token the settings allow."""

from __future__ import annotations

import hmac
import ipaddress
import time
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4

from dualtrack.ops import health, metrics

# A load balancer takes a server out on 503; ?strict=1 (for monitoring) answers 503 on
# "degraded" too.
HEALTHY = {health.OK: 200, health.DEGRADED: 200, health.FAIL: 503}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    started = time.perf_counter()
    status, checks = health.report()
    code = HEALTHY[status]
    if request.GET.get("strict") in {"1", "true"} and status != health.OK:
        code = 503
    return JsonResponse(
        {
            "status": status,
            "checks": checks,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "request_id": getattr(request, "request_id", ""),
        },
        status=code,
    )


@cache
def _allowed_networks(
    addresses: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(a, strict=False) for a in addresses)


def metrics_allowed(request: HttpRequest) -> bool:
    """A bearer token equal to METRICS_TOKEN (when set), or a client address in
    METRICS_ALLOWED_IPS (addresses or networks)."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given.removeprefix("Bearer ").encode(), token.encode())
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in n for n in _allowed_networks(tuple(settings.METRICS_ALLOWED_IPS)))


@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        # The same answer as an address that does not exist: nothing to learn here.
        return HttpResponse(status=404)
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)
