"""THE access rule of the wall screen: which boards a user may put on it.

A board is the district's or one town's. The district's board is for those who see the whole
district (HQ, the commander, the working groups); a town's for those who see that whole town
(its officers, and everyone who sees the district). A village cadre or a checkpoint's staff has
no board (403 on the wall screen); a board out of sight answers as one that does not exist
(404). What each panel shows within a board is then the app's own rule, for the same user.
"""

from __future__ import annotations

from django.db.models import Q

from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.scoping import TOWN_CODE_LENGTH, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User

BOARD_KINDS = (AreaKind.DISTRICT, AreaKind.TOWN)


def board_codes(user: User) -> tuple[str, ...]:
    """The codes of the areas the user sees whole and that have a board: the district's code,
    or towns' codes (a grant on a village gives none)."""
    if not user.is_authenticated or not user.is_active:
        return ()
    return tuple(code for code in scope_for(user).codes() if len(code) <= TOWN_CODE_LENGTH)


def may_see_wall_screen(user: User) -> bool:
    """Whether the user has any board (the menu's entry, the page's 403)."""
    return bool(board_codes(user))


def boards_q(user: User) -> Q:
    """Q on Area: the boards the user may open."""
    codes = board_codes(user)
    if not codes:
        return Q(pk__in=[])
    q = Q()
    for code in codes:
        q |= Q(code__startswith=code)
    return q & Q(kind__in=BOARD_KINDS)


def may_see_board(user: User, area: Area) -> bool:
    """The per-object form of ``boards_q``."""
    return area.kind in BOARD_KINDS and any(area.code.startswith(c) for c in board_codes(user))


def require_board(user: User, area: Area | None) -> Area:
    """The board, or NotFound (missing, not a board, out of sight)."""
    if area is None or not may_see_board(user, area):
        raise NotFound()
    return area


def require_any_board(user: User) -> None:
    """PermissionDenied for a user with no board at all."""
    if not may_see_wall_screen(user):
        raise PermissionDenied()
