"""Template context: the signed-in user's scope, for navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualtrack.areas import access
from dualtrack.areas.access import Permission, scope_for


def scope(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "scope": scope_for(user),
        "can_manage_tree": access.may_manage_anywhere(user, Permission.MANAGE_TREE),
        "can_manage_organisation": access.may_manage_anywhere(user, Permission.MANAGE_ORGANISATION),
    }
