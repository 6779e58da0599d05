"""The employment services' JSON API, mounted at /api/employment/ (the platform's background
jobs have /api/jobs). Thin routes over the selectors (reads, always scoped) and services
(writes); errors are problem+json."""

from __future__ import annotations

from ninja import Router

from dualtrack.jobs.api import applications, fairs, introducers, public, transport

router = Router(tags=["employment"])
for part in (fairs, applications, introducers, public, transport):
    router.add_router("", part.router)
