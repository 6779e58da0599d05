"""The government services' JSON API, mounted at /api/services/. Thin routes over the selectors
(reads, always scoped) and services (writes); errors are problem+json."""

from __future__ import annotations

from ninja import Router

from dualtrack.services.api import public, staff

router = Router(tags=["services"])
for part in (staff, public):
    router.add_router("", part.router)
