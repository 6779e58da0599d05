"""System checks of the operations settings: ``/metrics`` must not be open to the world."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


@register(Tags.security)
def metrics_access(app_configs: Any = None, **kwargs: Any) -> list[Error | Warning]:
    problems: list[Error | Warning] = []
    networks = []
    for entry in settings.METRICS_ALLOWED_IPS:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            problems.append(
                Error(
                    f"METRICS_ALLOWED_IPS: {entry!r} is not an address or network.", id="ops.E001"
                )
            )
    if any(n.prefixlen == 0 for n in networks):
        problems.append(
            Error("METRICS_ALLOWED_IPS opens /metrics to every address.", id="ops.E002")
        )
    return problems


@register(Tags.security, deploy=True)
def metrics_behind_a_proxy(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Behind nginx on the same machine every client arrives from 127.0.0.1."""
    if settings.METRICS_TOKEN:
        return []
    allowed = []
    for entry in settings.METRICS_ALLOWED_IPS:
        try:
            allowed.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    if any(n.overlaps(loop) for n in allowed for loop in LOOPBACK if n.version == loop.version):
        return [
            Warning(
                "/metrics is allowed from loopback without a token: behind a reverse proxy on "
                "this machine every client comes from loopback. Deny /metrics in the proxy "
                "(docs/operations.md) or set METRICS_TOKEN.",
                id="ops.W001",
            )
        ]
    return []


@register()
def replica_setting(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """A replica URL the router cannot use: said, not silently ignored."""
    if settings.DATABASE_REPLICA_URL and "replica" not in settings.DATABASES:
        return [
            Warning(
                "DATABASE_REPLICA_URL is set, but the replica router needs a PostgreSQL primary "
                "and a postgres:// replica URL: every read stays on the primary.",
                id="ops.W002",
            )
        ]
    return []
