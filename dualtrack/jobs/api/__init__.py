"""The employment services' JSON API, mounted at /api/employment/."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["employment"])
