"""The enterprises JSON API, mounted at /api/enterprises/. Thin routes over the selectors (reads,
always scoped) and services (writes); errors are problem+json."""

from __future__ import annotations

from ninja import Router

from dualtrack.enterprises.api import filings, registry, reports, roster, supervision

router = Router(tags=["enterprises"])
for part in (registry, filings, reports, roster, supervision):
    router.add_router("", part.router)
