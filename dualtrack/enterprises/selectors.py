"""Reading enterprises, always within what the user may see."""

from __future__ import annotations

from dualtrack.core.models import User
from dualtrack.enterprises.models import Enterprise, EnterpriseMember


def enterprise_of_user(user: User | None) -> Enterprise | None:
    """The enterprise an enterprise login belongs to; None for district staff and strangers."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    member = EnterpriseMember.objects.select_related("enterprise").filter(user=user).first()
    return member.enterprise if member else None
