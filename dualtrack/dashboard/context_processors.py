"""Template context: whether the signed-in user has a wall screen (the menu's entry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualtrack.dashboard.access import may_see_wall_screen


def wall_screen(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"may_see_wall_screen": may_see_wall_screen(user)}
