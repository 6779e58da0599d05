"""The front line's API (/api/volunteers): branches, commando teams, deployments, volunteers'
sign-ups and their review, duties, the roster and the figures. Every route is scoped."""

from __future__ import annotations

from ninja import Router

from dualtrack.volunteers.api import duties, frontline, signups

router = Router(tags=["volunteers"])
router.add_router("", frontline.router)
router.add_router("", signups.router)
router.add_router("", duties.router)
