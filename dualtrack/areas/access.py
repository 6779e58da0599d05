"""The access rule of the areas app: who may see which areas, households, residents, units,
cadres, liaisons and role grants, and what they may do to each.

Every record of the app hangs from an area, and ``scoping.Scope`` (built once per request from
the user's role grants) says on which areas each permission holds. This module derives every
representation of the rule from that one definition: the filters selectors apply
(``visible``), the answer for one record (``permissions_on``), the refusals services raise
(``require``) and the lookups of ids a write names (``*_get_for_write``). Views, API routes,
services and selectors ask it; pages ask it only whether to show a button.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from dualtrack.areas.models import Area, Cadre, Household, IndustrySector, OrgUnit, RoleGrant
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User

__all__ = [
    "AreaPermissions",
    "Permission",
    "account_get_for_write",
    "accounts_visible",
    "area_get_for_write",
    "areas_visible_q",
    "cadre_get_for_write",
    "has_grants",
    "household_get_for_write",
    "is_district_wide",
    "may_import_residents",
    "may_manage_accounts",
    "may_manage_anywhere",
    "org_unit_get_for_write",
    "permissions_on",
    "require",
    "require_import_residents",
    "require_manage_accounts",
    "require_manage_anywhere",
    "scope_for",
    "sector_get_for_write",
    "visible",
]

# Which permission makes a record of each kind visible: a role grant is seen only by those who
# may manage the organisation where it is bound; every other record by those who may view its
# area.
VISIBLE_WITH: dict[type[Model], Permission] = {RoleGrant: Permission.MANAGE_ORGANISATION}


def areas_visible_q(user: User | None, permission: Permission = Permission.VIEW) -> Q:
    """The areas on which ``permission`` holds for the user, as a Q on ``Area``."""
    return scope_for(user).areas_q(permission=permission)


def visible[M: Model](user: User | None, qs: QuerySet[M, Any], field: str = "area") -> QuerySet[M]:
    """``qs`` (of a model hanging from an area by ``field``) limited to the rows the user sees."""
    permission = VISIBLE_WITH.get(qs.model, Permission.VIEW)
    if qs.model is Area:
        return qs.filter(areas_visible_q(user, permission))
    return scope_for(user).filter_by_area(qs, field=field, permission=permission)


@dataclass(frozen=True)
class AreaPermissions:
    """What the user may do to a record hanging from one area (or to the area itself)."""

    view: bool
    manage_tree: bool
    manage_people: bool
    manage_organisation: bool
    view_personal_data: bool
    view_audit: bool


def permissions_on(user: User | None, area: Area) -> AreaPermissions:
    """The user's permissions on ``area`` and on the records bound to it."""
    scope = scope_for(user)
    view = scope.covers(area, Permission.VIEW)
    return AreaPermissions(
        view=view,
        manage_tree=view and scope.covers(area, Permission.MANAGE_TREE),
        manage_people=view and scope.covers(area, Permission.MANAGE_PEOPLE),
        manage_organisation=view and scope.covers(area, Permission.MANAGE_ORGANISATION),
        view_personal_data=view and scope.covers(area, Permission.VIEW_PERSONAL_DATA),
        view_audit=view and scope.covers(area, Permission.VIEW_AUDIT),
    )


def require(user: User | None, area: Area, permission: Permission) -> None:
    """Refuse unless ``permission`` holds on ``area``: 404 out of sight, else 403."""
    scope_for(user).require(area, permission)


def may_manage_anywhere(user: User | None, permission: Permission) -> bool:
    """Whether ``permission`` holds on any area (to offer a page's "add" at all)."""
    return bool(scope_for(user).codes(permission))


def has_grants(user: User | None) -> bool:
    """Whether the user holds any role grant (an enterprise's login, for one, holds none)."""
    return not scope_for(user).is_empty


def is_district_wide(user: User | None) -> bool:
    """Whether the user sees the whole district (district-wide figures and gaps)."""
    return scope_for(user).is_district_wide()


def require_manage_anywhere(user: User | None, permission: Permission) -> None:
    if not may_manage_anywhere(user, permission):
        raise PermissionDenied()


def may_import_residents(user: User | None) -> bool:
    """An import needs people rights somewhere; each row is then checked where it lands."""
    return may_manage_anywhere(user, Permission.MANAGE_PEOPLE)


def require_import_residents(user: User | None) -> None:
    if not may_import_residents(user):
        raise PermissionDenied()


def may_manage_accounts(user: User | None) -> bool:
    """Staff accounts, and which working group answers for each sector, are the district
    administrators'."""
    return scope_for(user).is_district_wide(Permission.MANAGE_ORGANISATION)


def require_manage_accounts(user: User | None) -> None:
    if not may_manage_accounts(user):
        raise PermissionDenied()


def accounts_visible(user: User | None) -> QuerySet[User]:
    """Staff accounts the user may manage (and grant roles to)."""
    if not may_manage_accounts(user):
        return User.objects.none()
    return User.objects.all()


# --- Ids a write names ---------------------------------------------------------------------------
# One out of sight answers exactly as one that does not exist: 404 naming the field.


def _not_found(field: str) -> NotFound:
    return NotFound(errors=[{"field": field, "message": str(NotFound.default_message)}])


def _get_for_write[M: Model](user: User | None, qs: QuerySet[M, Any], pk: int, field: str) -> M:
    record = visible(user, qs).filter(pk=pk).first()
    if record is None:
        raise _not_found(field)
    return record


def area_get_for_write(*, user: User, area_id: int, field: str = "area_id") -> Area:
    return _get_for_write(user, Area.objects.all(), area_id, field)


def household_get_for_write(
    *, user: User, household_id: int, field: str = "household_id"
) -> Household:
    return _get_for_write(user, Household.objects.select_related("area"), household_id, field)


def org_unit_get_for_write(*, user: User, unit_id: int, field: str = "org_unit_id") -> OrgUnit:
    return _get_for_write(user, OrgUnit.objects.select_related("area", "parent"), unit_id, field)


def cadre_get_for_write(*, user: User, cadre_id: int, field: str = "cadre_id") -> Cadre:
    return _get_for_write(user, Cadre.objects.select_related("area"), cadre_id, field)


def account_get_for_write(*, user: User, account_id: int, field: str = "user_id") -> User:
    account = accounts_visible(user).filter(pk=account_id).first()
    if account is None:
        raise _not_found(field)
    return account


def sector_get_for_write(*, code: str) -> IndustrySector:
    """Sectors are public reference data: any signed-in user may name one."""
    sector = IndustrySector.objects.filter(code=code.upper()).first()
    if sector is None:
        raise NotFound()
    return sector
