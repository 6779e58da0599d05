"""The access rule of quarantine: who sees and does what with sites, orders and their checks.

A user holds role grants, each on an area. A grant counts at an order whose person belongs to an
area below the grant's (``order.area``), or whose site lies below it (``order.site.area``); at a
site, a grant counts when the site lies below it. Two kinds of grant are narrowed:

- a site-only role's grant (quarantine site staff, ``SITE_ONLY_ROLES``) counts only at the
  sites the user is on the staff of (``QuarantineSiteStaff``), and at the orders placed there:
  the staff see the people at their site and record their checks, nothing else;
- a gate-only role's grant (checkpoint staff, the checkpoints' ``GATE_ONLY_ROLES``) counts at
  no site and no order: it is theirs for their gates.

What the user may do is what the grants counting there allow, read through ``ABILITIES``: each
ability holds where the user holds any of its permissions. Every representation is derived from
that one definition (``_Reach``): the queryset filters (``orders_q``, ``sites_q``), the per-object
answers (``order_abilities``, ``site_abilities``) and the ``require_*`` checks the services call.
tests/quarantine/test_access_agreement.py runs every persona against all of them on the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q

from dualtrack.areas.models import Area, AreaKind, Role
from dualtrack.areas.scoping import ROOT_CODE, Grant, Permission, scope_for
from dualtrack.checkpoints.access import GATE_ONLY_ROLES
from dualtrack.core import sql
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.health.models import QuarantineOrder, QuarantineSite, QuarantineSiteStaff

# Roles whose grant counts only at the sites the user is on the staff of.
SITE_ONLY_ROLES = frozenset({Role.SITE_STAFF})
# Roles whose grant counts nowhere in quarantine.
IGNORED_ROLES = frozenset(GATE_ONLY_ROLES)


class Ability(StrEnum):
    SEE = "see"
    MANAGE = "manage"  # place, move, extend, end, release; sites and their staff
    RECORD_CHECKS = "record_checks"  # the twice-daily checks
    VIEW_PERSONAL_DATA = "view_personal_data"  # unmasked numbers (audited), the export


# The one table: an ability holds where the user holds any of these permissions.
ABILITIES: dict[Ability, frozenset[Permission]] = {
    Ability.SEE: frozenset({Permission.VIEW, Permission.RECORD_CHECKS}),
    Ability.MANAGE: frozenset({Permission.MANAGE_QUARANTINE}),
    Ability.RECORD_CHECKS: frozenset({Permission.RECORD_CHECKS}),
    Ability.VIEW_PERSONAL_DATA: frozenset({Permission.VIEW_PERSONAL_DATA}),
}

# Who may be put on a site's staff: holders of a grant that lets them record checks there.
STAFF_PERMISSION = Permission.RECORD_CHECKS

_STAFFED_SQL = f"SELECT site_id FROM {QuarantineSiteStaff._meta.db_table} WHERE user_id = %s"  # noqa: S608


def staffed_site_ids(user: User | None) -> frozenset[int]:
    """The sites the user is on the staff of (kept on the user for the request)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_dualtrack_sites", None)
    if cached is None:
        cached = frozenset(pk for (pk,) in sql.fetch_all(_STAFFED_SQL, [user.pk]))
        user._dualtrack_sites = cached  # type: ignore[attr-defined]
    return cached


def sites_sight(user: User) -> tuple[int, ...]:
    """What besides the role grants decides which quarantine the user sees: the sites they are
    on the staff of, when a grant of theirs counts only there; () when the grants alone decide
    (the wall screen's panels, ``core.platform.PanelSight``)."""
    if not any(g.role in SITE_ONLY_ROLES for g in _grants(user)):
        return ()
    return tuple(sorted(staffed_site_ids(user)))


def _counts(
    grant: Grant,
    *,
    codes: Iterable[str],
    site_id: int | None,
    site_code: str,
    staffed: frozenset[int],
) -> bool:
    """Whether one grant counts at a record reached through these area codes (the person's
    area and the site's) and this site."""
    if grant.role in IGNORED_ROLES:
        return False
    if grant.role in SITE_ONLY_ROLES:
        return site_id is not None and site_id in staffed and site_code.startswith(grant.area_code)
    return any(code.startswith(grant.area_code) for code in codes if code)


@dataclass(frozen=True)
class _Reach:
    """Where a set of permissions holds for a user: area code prefixes covering every record
    below them (``broad``), and prefixes covering only the sites in ``staffed``."""

    broad: tuple[str, ...]
    site: tuple[str, ...]
    staffed: frozenset[int]

    @property
    def everywhere(self) -> bool:
        return any(len(code) == len(ROOT_CODE) for code in self.broad)

    def orders_q(self) -> Q:
        if self.everywhere:
            return Q()
        q = _prefix_q(self.broad, "area__") | _prefix_q(self.broad, "site__area__")
        if self.site and self.staffed:
            q |= _prefix_q(self.site, "site__area__") & Q(site_id__in=sorted(self.staffed))
        return q

    def sites_q(self) -> Q:
        if self.everywhere:
            return Q()
        q = _prefix_q(self.broad, "area__")
        if self.site and self.staffed:
            q |= _prefix_q(self.site, "area__") & Q(pk__in=sorted(self.staffed))
        return q


def _grants(user: User | None) -> list[Grant]:
    return [g for g in scope_for(user).grants if g.role not in IGNORED_ROLES]


def _reach(user: User | None, permissions: frozenset[Permission]) -> _Reach:
    grants = [g for g in _grants(user) if permissions & g.permissions]
    broad = tuple(sorted({g.area_code for g in grants if g.role not in SITE_ONLY_ROLES}))
    site = tuple(sorted({g.area_code for g in grants if g.role in SITE_ONLY_ROLES}))
    return _Reach(broad, site, staffed_site_ids(user) if site else frozenset())


def _prefix_q(codes: Iterable[str], prefix: str) -> Q:
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{f"{prefix}code__startswith": code})
    return q


# --- Orders -----------------------------------------------------------------------------------


def orders_q(user: User | None, ability: Ability = Ability.SEE) -> Q:
    """Q on QuarantineOrder selecting those where ``user`` has ``ability``."""
    return _reach(user, ABILITIES[ability]).orders_q()


def order_permissions(user: User | None, order: QuarantineOrder) -> frozenset[Permission]:
    """The permissions ``user`` holds at ``order`` (empty: the order is out of sight)."""
    grants = _grants(user)
    staffed = (
        staffed_site_ids(user) if any(g.role in SITE_ONLY_ROLES for g in grants) else frozenset()
    )
    site_code = order.site.area.code if order.site is not None else ""
    codes = (order.area.code, site_code)
    permissions: set[Permission] = set()
    for grant in grants:
        if _counts(grant, codes=codes, site_id=order.site_id, site_code=site_code, staffed=staffed):
            permissions |= grant.permissions
    return frozenset(permissions)


@dataclass(frozen=True)
class QuarantineAbilities:
    """What a user may do at one order or site, one boolean per ``Ability``."""

    see: bool = False
    manage: bool = False
    record_checks: bool = False
    view_personal_data: bool = False

    def __getitem__(self, ability: Ability) -> bool:
        return bool(getattr(self, ability.value))


def _abilities(granted: frozenset[Permission]) -> QuarantineAbilities:
    if not granted & ABILITIES[Ability.SEE]:
        return QuarantineAbilities()
    return QuarantineAbilities(
        **{ability.value: bool(granted & wanted) for ability, wanted in ABILITIES.items()}
    )


def order_abilities(user: User | None, order: QuarantineOrder) -> QuarantineAbilities:
    """What ``user`` may do at ``order``."""
    return _abilities(order_permissions(user, order))


def _require(granted: frozenset[Permission], ability: Ability) -> None:
    if not granted & ABILITIES[Ability.SEE]:
        raise NotFound()
    if not granted & ABILITIES[ability]:
        raise PermissionDenied()


def require_order(user: User | None, order: QuarantineOrder, ability: Ability) -> None:
    """Refuse unless ``ability`` holds at the order: 404 out of sight, else 403."""
    _require(order_permissions(user, order), ability)


# --- Sites ------------------------------------------------------------------------------------


def sites_q(user: User | None, ability: Ability = Ability.SEE) -> Q:
    """Q on QuarantineSite selecting those where ``user`` has ``ability``."""
    return _reach(user, ABILITIES[ability]).sites_q()


def site_permissions(user: User | None, site: QuarantineSite) -> frozenset[Permission]:
    """The permissions ``user`` holds at ``site`` (empty: the site is out of sight)."""
    grants = _grants(user)
    staffed = (
        staffed_site_ids(user) if any(g.role in SITE_ONLY_ROLES for g in grants) else frozenset()
    )
    code = site.area.code
    permissions: set[Permission] = set()
    for grant in grants:
        if _counts(grant, codes=(code,), site_id=site.pk, site_code=code, staffed=staffed):
            permissions |= grant.permissions
    return frozenset(permissions)


def site_abilities(user: User | None, site: QuarantineSite) -> QuarantineAbilities:
    """What ``user`` may do at ``site``."""
    return _abilities(site_permissions(user, site))


def require_site(user: User | None, site: QuarantineSite, ability: Ability) -> None:
    """Refuse unless ``ability`` holds at the site: 404 out of sight, else 403."""
    _require(site_permissions(user, site), ability)


# --- Areas: placing orders, opening sites -----------------------------------------------------


def may_manage_quarantine(user: User, area: Area) -> bool:
    """Whether ``user`` may place and manage quarantine orders for people of ``area``."""
    return any(
        area.code.startswith(g.area_code)
        for g in _grants(user)
        if g.role not in SITE_ONLY_ROLES and Permission.MANAGE_QUARANTINE in g.permissions
    )


def require_manage_quarantine(user: User, area: Area) -> None:
    """NotFound when ``area`` is out of the user's sight, PermissionDenied when it is in sight
    but the role may not manage quarantine there."""
    if may_manage_quarantine(user, area):
        return
    if not scope_for(user).covers(area):
        raise NotFound()
    raise PermissionDenied()


def may_manage_anywhere(user: User | None) -> bool:
    """Whether the user may place orders or open sites somewhere (the lists' "new" buttons)."""
    return bool(_reach(user, ABILITIES[Ability.MANAGE]).broad)


def may_see_any(user: User | None) -> bool:
    """Whether quarantine is in the user's sight at all (the menu, the figures)."""
    reach = _reach(user, ABILITIES[Ability.SEE])
    return bool(reach.broad or reach.staffed)


def may_export_anywhere(user: User | None) -> bool:
    """Whether the user may export orders with full numbers somewhere (the export holds the
    orders where they may see the numbers, and nothing else)."""
    return bool(_reach(user, ABILITIES[Ability.VIEW_PERSONAL_DATA]).broad)


# --- Who answers for an order's missed checks ---------------------------------------------------

# Grants on these kinds of area make their holder answerable for the orders there (the village's
# cadre, not the town or the district, who see the count on the board).
ANSWERING_KINDS = frozenset({AreaKind.VILLAGE, AreaKind.COMMUNITY, AreaKind.GROUP})


def answered_orders_q(user: User | None) -> Q | None:
    """Q on QuarantineOrder selecting those whose missed checks the user answers for (None:
    none at all): orders of the villages where they hold a cadre's grant to manage quarantine,
    and orders at the sites they are on the staff of."""
    grants = _grants(user)
    villages = sorted(
        {
            g.area_code
            for g in grants
            if g.area_kind in ANSWERING_KINDS
            and g.role not in SITE_ONLY_ROLES
            and Permission.MANAGE_QUARANTINE in g.permissions
        }
    )
    site = _reach(user, ABILITIES[Ability.RECORD_CHECKS])
    if not villages and not (site.site and site.staffed):
        return None
    q = _prefix_q(villages, "area__")
    if site.site and site.staffed:
        q |= _prefix_q(site.site, "site__area__") & Q(site_id__in=sorted(site.staffed))
    return q
