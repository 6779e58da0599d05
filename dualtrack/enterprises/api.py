"""The enterprises JSON API, mounted at /api/enterprises/."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["enterprises"])
