"""Who may see and do what on the front line: the app's one access rule.

A record belongs to an area (a branch, a team, a deployment, a duty, the villages a volunteer
signed up for). It is in sight of a user whose grant with VIEW covers that area — except a
grant of a self-only role (volunteers, checkpoint staff), which shows only the person's own
records: their own sign-up and the duties they are on. It may be changed by a user who holds
MANAGE_VOLUNTEERS there (village cadres, town officers, the district administrator).

Every representation is derived from ``_codes``: the querysets (``*_visible``), the per-row
answers (``may_see_*``, ``may_manage``) and ``require_*`` used by services and selectors.
tests/test_access_agreement.py runs every persona against all of them, the API and the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from dualtrack.areas.models import Area, Cadre, Role
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.volunteers.models import (
    CommandoTeam,
    Deployment,
    Duty,
    DutyAssignment,
    PartyBranch,
    Volunteer,
)

# Roles whose grant shows the person only their own records here.
SELF_ONLY_ROLES = frozenset({Role.VOLUNTEER, Role.CHECKPOINT_STAFF})
MANAGE = Permission.MANAGE_VOLUNTEERS


def _reduced(codes: Iterable[str]) -> tuple[str, ...]:
    kept: list[str] = []
    for code in sorted(set(codes)):
        if not any(code.startswith(k) for k in kept):
            kept.append(code)
    return tuple(kept)


def _codes(user: User | None, permission: Permission) -> tuple[str, ...]:
    """The area codes below which ``permission`` holds for the user here."""
    grants = scope_for(user).grants
    return _reduced(
        g.area_code for g in grants if permission in g.permissions and g.role not in SELF_ONLY_ROLES
    )


def sight_codes(user: User | None) -> tuple[str, ...]:
    return _codes(user, Permission.VIEW)


def manage_codes(user: User | None) -> tuple[str, ...]:
    return _codes(user, MANAGE)


def _area_q(codes: tuple[str, ...], path: str) -> Q:
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{f"{path}code__startswith": code})
    return q


def _covers(codes: tuple[str, ...], area: Area) -> bool:
    return any(area.code.startswith(code) for code in codes)


def areas_q(user: User | None, path: str = "area__") -> Q:
    """Q on a model's area path limiting it to the areas in the user's sight here."""
    return _area_q(sight_codes(user), path)


def manage_areas_q(user: User | None, path: str = "area__") -> Q:
    """Q on a model's area path limiting it to the areas the user manages here."""
    return _area_q(manage_codes(user), path)


def sees_front_line(user: User | None) -> bool:
    """Whether the user sees any area's front line (the lists and the figures)."""
    return bool(sight_codes(user))


def may_manage_somewhere(user: User | None) -> bool:
    return bool(manage_codes(user))


def may_see_area(user: User | None, area: Area) -> bool:
    return _covers(sight_codes(user), area)


def may_manage(user: User | None, area: Area) -> bool:
    return _covers(manage_codes(user), area)


def require_area(user: User | None, area: Area, *, manage: bool = False) -> None:
    """404 when the area is out of sight here, 403 when in sight and ``manage`` is not held."""
    if not may_see_area(user, area):
        raise NotFound()
    if manage and not may_manage(user, area):
        raise PermissionDenied()


def require_manage_somewhere(user: User | None) -> None:
    if not may_manage_somewhere(user):
        raise PermissionDenied() if sees_front_line(user) else NotFound()


# --- Branches, teams, deployments -------------------------------------------------------------


def branches_visible(user: User | None) -> QuerySet[PartyBranch, Any]:
    return PartyBranch.objects.filter(areas_q(user))


def teams_visible(user: User | None) -> QuerySet[CommandoTeam, Any]:
    return CommandoTeam.objects.filter(areas_q(user))


def deployments_visible(user: User | None) -> QuerySet[Deployment, Any]:
    return Deployment.objects.filter(areas_q(user))


# --- Volunteers -------------------------------------------------------------------------------


def _volunteer_ids_in(codes: tuple[str, ...]) -> QuerySet[Any, Any]:
    through = Volunteer.villages.through
    return through.objects.filter(_area_q(codes, "area__")).values("volunteer_id")


def volunteers_visible(user: User | None) -> QuerySet[Volunteer, Any]:
    """The volunteers of the villages in the user's sight, and the user's own sign-up."""
    q = Q(pk__in=_volunteer_ids_in(sight_codes(user)))
    if user is not None and user.is_authenticated:
        q |= Q(user_id=user.pk)
    return Volunteer.objects.filter(q)


def _village_codes(volunteer: Volunteer) -> list[str]:
    return [a.code for a in volunteer.villages.all()]


def may_see_volunteer(user: User | None, volunteer: Volunteer) -> bool:
    if user is not None and user.is_authenticated and volunteer.user_id == user.pk:
        return True
    codes = sight_codes(user)
    return any(c.startswith(k) for c in _village_codes(volunteer) for k in codes)


def may_review_volunteer(user: User | None, volunteer: Volunteer) -> bool:
    """A village or community the volunteer signed up for (or its town) reviews the sign-up."""
    codes = manage_codes(user)
    return any(c.startswith(k) for c in _village_codes(volunteer) for k in codes)


def require_volunteer(user: User | None, volunteer: Volunteer, *, review: bool = False) -> None:
    if not may_see_volunteer(user, volunteer):
        raise NotFound()
    if review and not may_review_volunteer(user, volunteer):
        raise PermissionDenied()


# --- Duties -----------------------------------------------------------------------------------


def person_keys_of(user: User | None) -> list[str]:
    """The keys under which the user is put on duties: as a volunteer, as a cadre, and as a
    party member who is that cadre (see DutyAssignment.person_key)."""
    if user is None or not user.is_authenticated:
        return []
    keys = [f"v{pk}" for pk in Volunteer.objects.filter(user=user).values_list("pk", flat=True)]

    keys += [f"c{pk}" for pk in Cadre.objects.filter(user=user).values_list("pk", flat=True)]
    return keys


def duties_visible(user: User | None) -> QuerySet[Duty, Any]:
    """The duties of the areas in the user's sight, and those the user is put on."""
    q = areas_q(user)
    keys = person_keys_of(user)
    if keys:
        q |= Q(pk__in=DutyAssignment.objects.filter(person_key__in=keys).values("duty_id"))
    return Duty.objects.filter(q)


def is_on_duty(user: User | None, duty: Duty) -> bool:
    keys = person_keys_of(user)
    return bool(keys) and duty.assignments.filter(person_key__in=keys).exists()


def may_see_duty(user: User | None, duty: Duty) -> bool:
    return may_see_area(user, duty.area) or is_on_duty(user, duty)


def require_duty(user: User | None, duty: Duty, *, manage: bool = False) -> None:
    if not may_see_duty(user, duty):
        raise NotFound()
    if manage and not may_manage(user, duty.area):
        raise PermissionDenied()


def may_confirm(user: User | None, assignment: DutyAssignment) -> bool:
    """The person themselves confirms, or one who manages the duty's area (on the phone)."""
    return assignment.person_key in person_keys_of(user) or may_manage(user, assignment.duty.area)
