"""The checkpoints JSON API, mounted at /api/checkpoints/. Thin routes over the selectors (reads,
always scoped) and the services (writes); every error is problem+json. One module per subtopic."""

from __future__ import annotations

from ninja import Router

from dualtrack.checkpoints.api import alerts, figures, register, registry

router = Router(tags=["checkpoints"])
for part in (registry, register, alerts, figures):
    router.add_router("", part.router)
