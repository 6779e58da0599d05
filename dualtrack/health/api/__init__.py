"""The health API, assembled from one router per subtopic."""

from __future__ import annotations

from ninja import Router

from dualtrack.health.api import alerts, cases, quarantine, screening

router = Router()
router.add_router("", screening.router)
router.add_router("", quarantine.router)
router.add_router("", cases.router)
router.add_router("", alerts.router)
