"""THE access rule of command: who sees directives, meetings and briefings, who issues, answers
for, accepts a directive, and to whom an overdue one escalates.

One table (``ABILITIES``) says which role grants give each ability on their area and below.
A directive is seen by those who see its issuer's area or one of its recipients' areas; its
recipients answer for it (a town's officers for the town, a village's cadres for the village, a
unit's staff for the unit); its issuer's side (the grants of the area and unit that issued it)
accepts or sends back; an overdue one escalates to HQ (from a town or a working group) or to
the district administrator (from HQ).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q

from dualtrack.areas.models import Area, AreaKind, Duty, OrgUnit, OrgUnitKind, Role
from dualtrack.areas.scoping import ROOT_CODE, Grant, scope_for
from dualtrack.command.models import Directive, DirectiveAssignment
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User


class Ability(StrEnum):
    VIEW = "view"  # directives, meetings, briefings in the area
    ISSUE = "issue"  # issue directives to the units under the grant's area
    MEETINGS = "meetings"  # record joint meetings and their decisions
    BRIEFINGS = "briefings"  # freeze the snapshot, generate, edit, publish briefings, notices


COORDINATION = (Role.WORKING_GROUP, Duty.COORDINATION)
PUBLICITY = (Role.WORKING_GROUP, Duty.PUBLICITY)
HQ = frozenset({(Role.DISTRICT_ADMIN, ""), (Role.COMMANDER, "")})

ABILITIES: dict[Ability, frozenset[tuple[str, str]]] = {
    Ability.VIEW: HQ
    | {(Role.WORKING_GROUP, ""), (Role.TOWN_OFFICER, ""), (Role.VILLAGE_CADRE, "")},
    Ability.ISSUE: HQ | {(Role.WORKING_GROUP, ""), (Role.TOWN_OFFICER, "")},
    Ability.MEETINGS: HQ | {COORDINATION},
    Ability.BRIEFINGS: HQ | {COORDINATION, PUBLICITY},
}
VILLAGE_ROLE = Role.VILLAGE_CADRE


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


def has(user: User, area: Area, ability: Ability = Ability.VIEW) -> bool:
    return any(area.code.startswith(code) for code in codes_for(user, ability))


def district_wide(user: User, ability: Ability) -> bool:
    return any(len(code) == len(ROOT_CODE) for code in codes_for(user, ability))


def _codes_q(codes: tuple[str, ...], field: str) -> Q:
    if not codes:
        return Q(pk__in=[])
    q = Q()
    for code in codes:
        q |= Q(**{f"{field}__code__startswith": code})
    return q


def directives_visible_q(user: User) -> Q:
    """The directives the user sees: issued in their area, or sent to a recipient in it."""
    codes = codes_for(user)
    if not codes:
        return Q(pk__in=[])
    to_them = DirectiveAssignment.objects.filter(_codes_q(codes, "area"), directive=OuterRef("pk"))
    return _codes_q(codes, "issuer_area") | Q(Exists(to_them))


def assignments_visible_q(user: User) -> Q:
    codes = codes_for(user)
    return _codes_q(codes, "area") | _codes_q(codes, "directive__issuer_area")


def answering_q(user: User, prefix: str = "") -> Q:
    """The assignments the user answers for (their town's, their village's, their unit's)."""
    grants = scope_for(user).grants if user.is_authenticated and user.is_active else []
    area_ids = [
        g.area_id
        for g in grants
        if (g.role == Role.TOWN_OFFICER and g.area_kind == AreaKind.TOWN)
        or (g.role == VILLAGE_ROLE)
    ]
    unit_ids = [g.org_unit_id for g in grants if g.org_unit_id is not None]
    q = Q(pk__in=[])
    if area_ids:
        q |= Q(**{f"{prefix}recipient_area_id__in": area_ids})
    if unit_ids:
        q |= Q(**{f"{prefix}recipient_unit_id__in": unit_ids})
    return q


def answers_for(user: User, assignment: DirectiveAssignment) -> bool:
    grants = scope_for(user).grants if user.is_authenticated and user.is_active else []
    for g in grants:
        if (
            assignment.recipient_area_id is not None
            and g.area_id == assignment.recipient_area_id
            and g.role in (Role.TOWN_OFFICER, VILLAGE_ROLE)
        ):
            return True
        if assignment.recipient_unit_id is not None and g.org_unit_id == (
            assignment.recipient_unit_id
        ):
            return True
    return False


def _issuer_grant(grant: Grant, area_id: int, unit_id: int | None) -> bool:
    if grant.area_id != area_id or not _gives(grant, Ability.ISSUE):
        return False
    if grant.role == Role.WORKING_GROUP:
        return unit_id is not None and grant.org_unit_id == unit_id
    return True


def issuer_side_q(user: User, prefix: str = "") -> Q:
    """The directives whose issuer's side the user is on: those who may accept or send back."""
    grants = scope_for(user).grants if user.is_authenticated and user.is_active else []
    q = Q(**{f"{prefix}issued_by": user}) if user.is_authenticated else Q(pk__in=[])
    for g in grants:
        if not _gives(g, Ability.ISSUE):
            continue
        if g.role == Role.WORKING_GROUP:
            if g.org_unit_id is not None:
                q |= Q(**{f"{prefix}issuer_unit_id": g.org_unit_id})
        else:
            q |= Q(**{f"{prefix}issuer_area_id": g.area_id})
    return q


def on_issuer_side(user: User, directive: Directive) -> bool:
    if directive.issued_by_id == user.pk:
        return True
    return any(
        _issuer_grant(g, directive.issuer_area_id, directive.issuer_unit_id)
        for g in scope_for(user).grants
    )


def superior_q(user: User, prefix: str = "") -> Q:
    """The directives whose overdue parts escalate to the user: a town's or a working group's
    to HQ (the commander, the district administrator), HQ's own to the district administrator
    (the leading group)."""
    roles = {g.role for g in scope_for(user).grants if g.area_code == ROOT_CODE}
    from_below = Q(**{f"{prefix}issuer_area__kind": AreaKind.TOWN}) | Q(
        **{f"{prefix}issuer_unit__kind": OrgUnitKind.WORKING_GROUP}
    )
    if Role.DISTRICT_ADMIN in roles:
        return Q(**{f"{prefix}pk__isnull": False})
    if Role.COMMANDER in roles:
        return from_below
    return Q(pk__in=[])


@dataclass(frozen=True)
class Issuing:
    """The area and unit a user issues from."""

    area: Area
    unit: OrgUnit | None


def issuing_for(user: User) -> Issuing | None:
    """Where the user issues directives from: the district (HQ, or their working group), else
    their town; None: they may not issue."""
    grants = [g for g in scope_for(user).grants if _gives(g, Ability.ISSUE)]
    if not grants:
        return None
    grants.sort(key=lambda g: (len(g.area_code), g.role == Role.WORKING_GROUP))
    grant = grants[0]
    area = Area.objects.get(pk=grant.area_id)
    unit: OrgUnit | None
    if grant.role == Role.WORKING_GROUP and grant.org_unit_id is not None:
        unit = OrgUnit.objects.filter(pk=grant.org_unit_id).first()
    else:
        kind = (
            OrgUnitKind.COMMAND_HQ if area.kind == AreaKind.DISTRICT else OrgUnitKind.TOWN_COMMAND
        )
        unit = OrgUnit.objects.filter(kind=kind, area=area).first()
    return Issuing(area=area, unit=unit)


def require_view(user: User, directive: Directive) -> None:
    if not Directive.objects.filter(directives_visible_q(user), pk=directive.pk).exists():
        raise NotFound()
