"""The one router of the areas API, to which each subtopic's module adds its routes, and what
those routes share: a keyset page and the problems a removal answers with."""

from __future__ import annotations

from typing import Any

from ninja import Router

from dualtrack.core.api import problems

router = Router(tags=["areas"])

DELETE = problems(401, 403, 404, 409)


def page(items: list[Any], limit: int) -> dict[str, Any]:
    """One keyset page: the items and the id to ask the next page after (None on the last)."""
    return {"items": items, "next_after": items[-1].pk if len(items) == limit else None}
