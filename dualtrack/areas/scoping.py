"""Who may see and do what, where.

A user's ``Scope`` is built once per request from their role grants. Every selector filters with
it and every service checks it: a record outside the scope is reported as not found, so that its
existence does not leak; a record inside the scope that the role may not change is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Model, Q, QuerySet

from dualtrack.areas.models import CODE_WIDTH, Area, AreaKind, Duty, OrgUnit, Role, RoleGrant
from dualtrack.core import sql
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User


class Permission(StrEnum):
    VIEW = "view"
    MANAGE_TREE = "manage_tree"  # create, rename, remove areas
    MANAGE_PEOPLE = "manage_people"  # households and residents
    MANAGE_ORGANISATION = "manage_organisation"  # org units, cadres, liaisons, role grants
    VIEW_PERSONAL_DATA = "view_personal_data"  # unmasked ID numbers and phones, audited
    VIEW_AUDIT = "view_audit"
    # Checkpoints (卡点)
    MANAGE_CHECKPOINTS = "manage_checkpoints"  # registry, ten-ones kit, rosters, QR tokens
    REGISTER_PASSAGE = "register_passage"  # the passage register at a gate
    HANDLE_ALERTS = "handle_alerts"  # fever and risk-area alerts
    MANAGE_RISK_AREAS = "manage_risk_areas"  # HQ's list of risk areas
    # Enterprises and resumption (复工复产)
    MANAGE_ENTERPRISES = "manage_enterprises"  # registry, sign-up approval, imports
    REVIEW_FILINGS = "review_filings"  # the town's review of a resumption filing
    APPROVE_FILINGS = "approve_filings"  # the working group's approval
    INSPECT_ENTERPRISES = "inspect_enterprises"  # sampling, inspections, rectifications
    SET_PHASE = "set_phase"  # the district's resumption phase
    # Supplies (物资)
    KEEP_LEDGER = "keep_ledger"  # receipts, consumption, requests for one's own holders
    MANAGE_SUPPLIES = "manage_supplies"  # approve requests, allocate, adjust stock
    # Health (防疫)
    MANAGE_CAMPAIGNS = "manage_campaigns"  # open and close screening campaigns
    SCREEN_HOUSEHOLDS = "screen_households"  # visit households, record residents' answers
    MANAGE_QUARANTINE = "manage_quarantine"  # sites, orders, release, follow-ups
    RECORD_CHECKS = "record_checks"  # the twice-daily checks of people under quarantine
    MANAGE_CASES = "manage_cases"  # the line list and contact searches
    # Employment services (用工服务)
    MANAGE_FAIRS = "manage_fairs"  # online fairs, introducers, postings on an enterprise's behalf
    # The front line (一线力量): party branches, commando teams, cadres sent down, volunteers
    MANAGE_VOLUNTEERS = "manage_volunteers"  # review sign-ups, deploy people, duty rosters
    # Government services (政务服务) and investment promotion (招商)
    HANDLE_SERVICE_REQUESTS = "handle_service_requests"  # a department's requests and counters
    MANAGE_INVESTMENT = "manage_investment"  # the investment pipeline and signing ceremonies


# The district's own code; every other area's code extends its parent's (see models.CODE_WIDTH).
ROOT_CODE = "GX"
TOWN_CODE_LENGTH = len(ROOT_CODE) + CODE_WIDTH[AreaKind.TOWN]


@dataclass(frozen=True)
class RoleRule:
    area_kinds: tuple[str, ...]
    permissions: frozenset[Permission]


_V = Permission.VIEW
_P = Permission
ROLE_RULES: dict[str, RoleRule] = {
    Role.DISTRICT_ADMIN: RoleRule(
        (AreaKind.DISTRICT,),
        frozenset(Permission),
    ),
    Role.COMMANDER: RoleRule(
        (AreaKind.DISTRICT,),
        frozenset({_V, _P.VIEW_AUDIT, _P.HANDLE_ALERTS, _P.MANAGE_RISK_AREAS, _P.SET_PHASE}),
    ),
    # What a working group's staff may do beyond viewing depends on the group's duty.
    Role.WORKING_GROUP: RoleRule((AreaKind.DISTRICT,), frozenset({_V})),
    Role.TOWN_OFFICER: RoleRule(
        (AreaKind.TOWN,),
        frozenset(
            {
                _V,
                _P.MANAGE_PEOPLE,
                _P.VIEW_AUDIT,
                _P.MANAGE_CHECKPOINTS,
                _P.HANDLE_ALERTS,
                _P.MANAGE_ENTERPRISES,
                _P.REVIEW_FILINGS,
                _P.INSPECT_ENTERPRISES,
                _P.KEEP_LEDGER,
                _P.SCREEN_HOUSEHOLDS,
                _P.MANAGE_QUARANTINE,
                _P.RECORD_CHECKS,
                _P.MANAGE_VOLUNTEERS,
            }
        ),
    ),
    # Village cadres screen households door to door and phone residents: they need the numbers.
    Role.VILLAGE_CADRE: RoleRule(
        (AreaKind.VILLAGE, AreaKind.COMMUNITY),
        frozenset(
            {
                _V,
                _P.MANAGE_PEOPLE,
                _P.VIEW_PERSONAL_DATA,
                _P.REGISTER_PASSAGE,
                _P.HANDLE_ALERTS,
                _P.KEEP_LEDGER,
                _P.SCREEN_HOUSEHOLDS,
                _P.MANAGE_QUARANTINE,
                _P.RECORD_CHECKS,
                _P.MANAGE_VOLUNTEERS,
            }
        ),
    ),
    # Checkpoint staff register at the gates they are on duty at (the checkpoints app narrows
    # the area grant to those checkpoints).
    Role.CHECKPOINT_STAFF: RoleRule(
        (AreaKind.VILLAGE, AreaKind.COMMUNITY), frozenset({_V, _P.REGISTER_PASSAGE})
    ),
    # Volunteers go door to door with the cadres.
    Role.VOLUNTEER: RoleRule(
        (AreaKind.VILLAGE, AreaKind.COMMUNITY), frozenset({_V, _P.SCREEN_HOUSEHOLDS})
    ),
    # A quarantine site's staff record the checks of the people at the sites they are on the
    # staff of (the health app narrows the area grant to those sites). No VIEW: the grant
    # shows them nothing of the area's villages, gates or enterprises.
    Role.SITE_STAFF: RoleRule(
        (AreaKind.TOWN, AreaKind.VILLAGE, AreaKind.COMMUNITY), frozenset({_P.RECORD_CHECKS})
    ),
    # A department's clerks handle the requests and keep the counters of the departments they
    # are on the staff of (the services app narrows the area grant to those departments). No
    # VIEW: the grant shows them nothing of the area's villages, gates or enterprises.
    Role.SERVICE_CLERK: RoleRule(
        (AreaKind.DISTRICT, AreaKind.TOWN), frozenset({_P.HANDLE_SERVICE_REQUESTS})
    ),
}

# Extra permissions of a working-group grant, by the duty of the group it is bound to.
DUTY_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Duty.COORDINATION: frozenset({_P.VIEW_AUDIT}),
    Duty.PREVENTION: frozenset(
        {
            _P.MANAGE_CHECKPOINTS,
            _P.HANDLE_ALERTS,
            _P.MANAGE_RISK_AREAS,
            _P.MANAGE_CAMPAIGNS,
            _P.MANAGE_QUARANTINE,
            _P.RECORD_CHECKS,
            _P.MANAGE_CASES,
        }
    ),
    Duty.MEDICAL: frozenset(
        {_P.HANDLE_ALERTS, _P.MANAGE_QUARANTINE, _P.RECORD_CHECKS, _P.MANAGE_CASES}
    ),
    Duty.SUPPLIES: frozenset({_P.KEEP_LEDGER, _P.MANAGE_SUPPLIES}),
    Duty.ENTERPRISE_SERVICES: frozenset(
        {_P.MANAGE_ENTERPRISES, _P.APPROVE_FILINGS, _P.INSPECT_ENTERPRISES, _P.MANAGE_FAIRS}
    ),
    Duty.INVESTMENT: frozenset({_P.MANAGE_INVESTMENT}),
    Duty.SUPERVISION: frozenset({_P.INSPECT_ENTERPRISES, _P.VIEW_AUDIT}),
}


def grant_permissions(role: str, duty: str = "") -> frozenset[Permission]:
    """What one grant allows: its role's permissions, and its working group's duty's."""
    permissions = ROLE_RULES[role].permissions
    if role == Role.WORKING_GROUP and duty:
        permissions |= DUTY_PERMISSIONS.get(duty, frozenset())
    return permissions


@dataclass(frozen=True)
class Grant:
    role: str
    area_id: int
    area_code: str
    area_kind: str
    org_unit_id: int | None
    duty: str = ""

    @property
    def permissions(self) -> frozenset[Permission]:
        return grant_permissions(self.role, self.duty)


class Scope:
    """The areas a user may act on, per permission. Immutable once built."""

    def __init__(self, user: User | None, grants: list[Grant]) -> None:
        self.user = user
        self.grants = grants
        self._codes: dict[Permission, tuple[str, ...]] = {}
        for permission in Permission:
            codes = sorted({g.area_code for g in grants if permission in g.permissions})
            # Drop codes already covered by a shorter one: a town grant under a district one.
            kept: list[str] = []
            for code in codes:
                if not any(code.startswith(k) for k in kept):
                    kept.append(code)
            self._codes[permission] = tuple(kept)

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    @property
    def is_empty(self) -> bool:
        return not self.grants

    def codes(self, permission: Permission = Permission.VIEW) -> tuple[str, ...]:
        return self._codes[permission]

    def is_district_wide(self, permission: Permission = Permission.VIEW) -> bool:
        return any(len(code) == len(ROOT_CODE) for code in self._codes[permission])

    def covers(self, area: Area, permission: Permission = Permission.VIEW) -> bool:
        return any(area.code.startswith(code) for code in self._codes[permission])

    def areas_q(self, prefix: str = "", permission: Permission = Permission.VIEW) -> Q:
        """Q on a model's area path (``prefix`` e.g. ``"area__"``) limiting it to the scope."""
        codes = self._codes[permission]
        if not codes:
            return Q(pk__in=[])
        q = Q()
        for code in codes:
            q |= Q(**{f"{prefix}code__startswith": code})
        return q

    def area_ids(self, permission: Permission = Permission.VIEW) -> QuerySet[Area, Any]:
        """A subquery of the ids of every area in scope, for ``area_id__in=``."""
        return Area.objects.filter(self.areas_q(permission=permission)).values("id")

    def filter_by_area[M: Model](
        self, qs: QuerySet[M, Any], field: str = "area", permission: Permission = Permission.VIEW
    ) -> QuerySet[M, Any]:
        """Limit ``qs`` to rows whose ``field`` area lies in the scope."""
        if self.is_district_wide(permission):
            return qs
        codes = self._codes[permission]
        if not codes:
            return qs.none()
        if any(len(code) <= TOWN_CODE_LENGTH for code in codes):
            # A broad scope holds a large share of the rows: walking them in key order and
            # testing each row's area code finds a page quickly. Selecting by the list of area
            # ids instead makes SQLite sort the whole town before it can return the first page.
            return qs.filter(self.areas_q(prefix=f"{field}__", permission=permission))
        # A narrow scope (villages, groups) holds few rows: fetch them through the area index.
        return qs.filter(**{f"{field}_id__in": self.area_ids(permission)})

    def require(self, area: Area, permission: Permission) -> None:
        """Refuse unless ``permission`` holds on ``area``: 404 when out of sight, else 403."""
        if not self.covers(area, Permission.VIEW):
            raise NotFound()
        if not self.covers(area, permission):
            raise PermissionDenied()

    def require_referenced(self, **areas: Area | None) -> None:
        """Refuse a write that names, by ``field=area``, a record (an area, or the area of a unit,
        cadre or household) out of the user's sight: 404 naming the field, as a read would be,
        so that a write never tells whether the record exists nor shows it back."""
        for field, area in areas.items():
            if area is not None and not self.covers(area, Permission.VIEW):
                raise NotFound(errors=[{"field": field, "message": str(NotFound.default_message)}])


# Every request builds a scope: by hand, it costs a tenth of the ORM's query (see core.sql).
_GRANTS_SQL = (
    "SELECT g.role, g.area_id, a.code, a.kind, g.org_unit_id, o.duty "  # noqa: S608
    f"FROM {RoleGrant._meta.db_table} g JOIN {Area._meta.db_table} a ON a.id = g.area_id "
    f"LEFT JOIN {OrgUnit._meta.db_table} o ON o.id = g.org_unit_id "
    "WHERE g.user_id = %s ORDER BY g.role, g.id"
)


def scope_for(user: User | None) -> Scope:
    """The user's scope, built once and kept on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(None, [])
    cached: Scope | None = getattr(user, "_dualtrack_scope", None)
    if cached is not None:
        return cached
    rows = sql.fetch_all(_GRANTS_SQL, [user.pk])
    scope = Scope(
        user,
        [
            Grant(role, area_id, code, kind, org_unit_id, duty or "")
            for role, area_id, code, kind, org_unit_id, duty in rows
        ],
    )
    user._dualtrack_scope = scope  # type: ignore[attr-defined]
    return scope
