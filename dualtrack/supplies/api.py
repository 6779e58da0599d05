"""The supplies JSON API, mounted at /api/supplies/."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["supplies"])
