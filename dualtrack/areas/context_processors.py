"""Template context: the signed-in user's scope, for navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualtrack.areas.scoping import Permission, scope_for


def scope(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    user_scope = scope_for(user)
    return {
        "scope": user_scope,
        "can_manage_tree": bool(user_scope.codes(Permission.MANAGE_TREE)),
        "can_manage_organisation": bool(user_scope.codes(Permission.MANAGE_ORGANISATION)),
    }
