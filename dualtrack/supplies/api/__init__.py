"""The supplies JSON API, mounted at /api/supplies/: thin routes over selectors and services,
one module per subtopic, assembled here into ``router``."""

from __future__ import annotations

from ninja import Router

from dualtrack.supplies.api import holders, requests, transfers

router = Router(tags=["supplies"])
router.add_router("", holders.router)
router.add_router("", transfers.router)
router.add_router("", requests.router)
