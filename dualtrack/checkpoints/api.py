"""The checkpoints JSON API, mounted at /api/checkpoints/."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["checkpoints"])
