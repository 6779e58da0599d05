"""THE access rule of the early warning: who sees, handles and recomputes its signals.

One table (``ABILITIES``) says which role grants give each ability; a grant gives it on its area
and everything below. The prevention working group, the commander and the district
administrator see the district, a town officer their town; the commander only reads, and only
the district administrator and the prevention group recompute. From it derive the queryset filter
(``visible_q``), the per-object check (``signal_abilities``), the ``require_*`` checks and the
inbox's rule (who answers for a signal: the prevention group and the town's officers).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q

from dualtrack.areas.models import Area, Duty, Role
from dualtrack.areas.scoping import ROOT_CODE, Grant, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User


class Ability(StrEnum):
    VIEW = "view"  # the panel, the series, Rt and the projection
    HANDLE = "handle"  # acknowledge and close a signal
    RECOMPUTE = "recompute"  # start a recomputation
    ANSWER = "answer"  # the signals come to their inbox


PREVENTION = (Role.WORKING_GROUP, Duty.PREVENTION)

# Ability → the (role, duty) pairs that give it ("" duty: any grant of the role).
ABILITIES: dict[Ability, frozenset[tuple[str, str]]] = {
    Ability.VIEW: frozenset(
        {(Role.DISTRICT_ADMIN, ""), (Role.COMMANDER, ""), PREVENTION, (Role.TOWN_OFFICER, "")}
    ),
    # The commander reads the panel; the prevention group and the towns act on the signals.
    Ability.HANDLE: frozenset({(Role.DISTRICT_ADMIN, ""), PREVENTION, (Role.TOWN_OFFICER, "")}),
    Ability.RECOMPUTE: frozenset({(Role.DISTRICT_ADMIN, ""), PREVENTION}),
    Ability.ANSWER: frozenset({PREVENTION, (Role.TOWN_OFFICER, "")}),
}


def _gives(grant: Grant, ability: Ability) -> bool:
    pairs = ABILITIES[ability]
    return (grant.role, "") in pairs or (grant.role, grant.duty) in pairs


def codes_for(user: User, ability: Ability = Ability.VIEW) -> tuple[str, ...]:
    """The area codes on (and under) which the user has the ability; () for none."""
    if not user.is_authenticated or not user.is_active:
        return ()
    codes = sorted({g.area_code for g in scope_for(user).grants if _gives(g, ability)})
    kept: list[str] = []
    for code in codes:
        if not any(code.startswith(k) for k in kept):
            kept.append(code)
    return tuple(kept)


def visible_q(user: User, ability: Ability = Ability.VIEW, prefix: str = "area__") -> Q:
    """The rows (of any model with an ``area``) on which the user has the ability."""
    codes = codes_for(user, ability)
    if not codes:
        return Q(pk__in=[])
    q = Q()
    for code in codes:
        q |= Q(**{f"{prefix}code__startswith": code})
    return q


def has(user: User, area: Area, ability: Ability = Ability.VIEW) -> bool:
    return any(area.code.startswith(code) for code in codes_for(user, ability))


@dataclass(frozen=True)
class SignalAbilities:
    view: bool
    handle: bool


def signal_abilities(user: User, area: Area) -> SignalAbilities:
    """What the user may do with a signal (or a series) of ``area``."""
    return SignalAbilities(
        view=has(user, area, Ability.VIEW), handle=has(user, area, Ability.HANDLE)
    )


def require_view(user: User, area: Area) -> None:
    if not has(user, area, Ability.VIEW):
        raise NotFound()


def require_handle(user: User, area: Area) -> None:
    require_view(user, area)
    if not has(user, area, Ability.HANDLE):
        raise PermissionDenied()


def may_recompute(user: User) -> bool:
    """Recomputing rewrites the whole district's results: a district-wide grant only."""
    return any(len(code) == len(ROOT_CODE) for code in codes_for(user, Ability.RECOMPUTE))


def require_recompute(user: User) -> None:
    """No record is named: a user without the role is refused (403), never told 404."""
    if not may_recompute(user):
        raise PermissionDenied()
