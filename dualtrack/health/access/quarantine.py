"""The access rule of quarantine: who may place and manage orders in an area.

(The foundation; the sites' staff narrowing, the per-order checks and the queryset filters are
built here too, from the same permissions.)
"""

from __future__ import annotations

from dualtrack.areas.models import Area
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User


def may_manage_quarantine(user: User, area: Area) -> bool:
    """Whether ``user`` may place and manage quarantine orders for people of ``area``."""
    return scope_for(user).covers(area, Permission.MANAGE_QUARANTINE)


def require_manage_quarantine(user: User, area: Area) -> None:
    """NotFound when ``area`` is out of the user's sight, PermissionDenied when it is in sight
    but the role may not manage quarantine there."""
    if may_manage_quarantine(user, area):
        return
    if not scope_for(user).covers(area):
        raise NotFound()
    raise PermissionDenied()
