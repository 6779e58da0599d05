"""Who may see and do what at the checkpoints: the app's one access rule.

A user holds role grants, each on an area. A grant counts at every checkpoint below its area,
except a grant of a gate-only role (checkpoint staff), which counts only at the gates the user
is on the staff of: staff of one gate do not read another's register, even in the same village.
What the user may do at a checkpoint is what the grants counting there allow, read through
``ABILITIES``: each ability holds where the user holds any of its permissions.

Every representation is derived from that one definition (``_Reach``): the queryset filter
(``visible_checkpoints_q``), the per-object answer (``checkpoint_abilities``,
``require_checkpoint``) and the SQL condition the figures run by hand (``checkpoints_sql``).
tests/test_access_agreement.py runs every persona against all of them on the same rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from dualtrack.areas.models import Area, AreaKind, LiaisonAssignment, Role, RoleGrant
from dualtrack.areas.scoping import ROLE_RULES, ROOT_CODE, Grant, Permission, scope_for
from dualtrack.checkpoints.models import Checkpoint, CheckpointStaff
from dualtrack.core import sql
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User

# Roles whose grant counts only at the gates the user is on the staff of.
GATE_ONLY_ROLES = frozenset({Role.CHECKPOINT_STAFF})


class Ability(StrEnum):
    SEE = "see"
    MANAGE = "manage"  # edit, staff, roster
    REGISTER = "register"  # the passage register at the gate
    USE_KIT = "use_kit"  # the ten-ones check, the gate's QR token and its poster
    READ_REGISTER = "read_register"  # who passed; where a person was last seen
    VIEW_PERSONAL_DATA = "view_personal_data"  # unmasked numbers, the register's export
    HANDLE_ALERTS = "handle_alerts"  # handle an alert, and see who it is about


# The one table: an ability holds at a checkpoint where the user holds any of these permissions.
ABILITIES: dict[Ability, frozenset[Permission]] = {
    Ability.SEE: frozenset({Permission.VIEW}),
    Ability.MANAGE: frozenset({Permission.MANAGE_CHECKPOINTS}),
    Ability.REGISTER: frozenset({Permission.REGISTER_PASSAGE}),
    Ability.USE_KIT: frozenset({Permission.MANAGE_CHECKPOINTS, Permission.REGISTER_PASSAGE}),
    Ability.READ_REGISTER: frozenset(
        {
            Permission.REGISTER_PASSAGE,
            Permission.HANDLE_ALERTS,
            Permission.MANAGE_CHECKPOINTS,
            Permission.VIEW_PERSONAL_DATA,
        }
    ),
    Ability.VIEW_PERSONAL_DATA: frozenset({Permission.VIEW_PERSONAL_DATA}),
    Ability.HANDLE_ALERTS: frozenset({Permission.HANDLE_ALERTS}),
}

# Registering a checkpoint in an area takes the permission to manage the checkpoints there.
(CREATE_PERMISSION,) = ABILITIES[Ability.MANAGE]

# Who an alert is about (name, temperature, origin, passage, note) is shown to those who may
# handle it; a role that only views sees that there is one.
SEE_ALERT_PERSON = Ability.HANDLE_ALERTS

# Who may be put on a gate's staff: those whose grant of a village-level role lets them register.
STAFF_PERMISSION = Permission.REGISTER_PASSAGE
STAFF_ROLES = tuple(
    sorted(
        role
        for role, rule in ROLE_RULES.items()
        if STAFF_PERMISSION in rule.permissions and AreaKind.VILLAGE in rule.area_kinds
    )
)


_STAFFED_SQL = f"SELECT checkpoint_id FROM {CheckpointStaff._meta.db_table} WHERE user_id = %s"  # noqa: S608


def staffed_ids(user: User | None) -> frozenset[int]:
    """The checkpoints the user is on the staff of (kept on the user for the request)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_dualtrack_staffed", None)
    if cached is None:
        cached = frozenset(pk for (pk,) in sql.fetch_all(_STAFFED_SQL, [user.pk]))
        user._dualtrack_staffed = cached  # type: ignore[attr-defined]
    return cached


def gates_sight(user: User) -> tuple[int, ...]:
    """What besides the role grants decides which gates the user sees: the gates they are on
    the staff of, when a grant of theirs counts only there; () when the grants alone decide (the
    wall screen's panels, ``core.platform.PanelSight``)."""
    if not any(g.role in GATE_ONLY_ROLES for g in scope_for(user).grants):
        return ()
    return tuple(sorted(staffed_ids(user)))


def _counts_at(grant: Grant, code: str, checkpoint_id: int, staffed: frozenset[int]) -> bool:
    """Whether one grant counts at the checkpoint with this area code and id."""
    if not code.startswith(grant.area_code):
        return False
    return grant.role not in GATE_ONLY_ROLES or checkpoint_id in staffed


@dataclass(frozen=True)
class _Reach:
    """Where a set of permissions holds for a user: area code prefixes covering every
    checkpoint below them (``broad``), and prefixes covering only the gates in ``staffed``."""

    grants: tuple[Grant, ...]
    staffed: frozenset[int]
    broad: tuple[str, ...]
    gate: tuple[str, ...]
    everywhere: bool

    def covers(self, checkpoint: Checkpoint) -> bool:
        code = checkpoint.area.code
        return any(_counts_at(g, code, checkpoint.pk, self.staffed) for g in self.grants)

    def q(self) -> Q:
        if self.everywhere:
            return Q()
        q = _prefix_q(self.broad)
        if self.gate and self.staffed:
            q |= _prefix_q(self.gate) & Q(pk__in=sorted(self.staffed))
        return q

    def sql(self, *, code: str, pk: str) -> tuple[str, list[Any]]:
        if self.everywhere:
            return "1 = 1", []
        where, params = _prefixes_sql(self.broad, code)
        if self.gate and self.staffed:
            gate_sql, gate_params = _prefixes_sql(self.gate, code)
            marks = ", ".join(["%s"] * len(self.staffed))
            where = f"({where} OR ({gate_sql} AND {pk} IN ({marks})))"
            params.extend([*gate_params, *sorted(self.staffed)])
        return where, params


def _reach(user: User | None, permissions: frozenset[Permission]) -> _Reach:
    grants = tuple(g for g in scope_for(user).grants if permissions & g.permissions)
    broad = tuple(sorted({g.area_code for g in grants if g.role not in GATE_ONLY_ROLES}))
    gate = tuple(sorted({g.area_code for g in grants if g.role in GATE_ONLY_ROLES}))
    return _Reach(
        grants,
        staffed_ids(user) if gate else frozenset(),
        broad,
        gate,
        any(len(code) == len(ROOT_CODE) for code in broad),
    )


def _prefix_q(codes: Iterable[str], prefix: str = "area__") -> Q:
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{f"{prefix}code__startswith": code})
    return q


def _code_like(code: str) -> str:
    return str(connection.ops.prep_for_like_query(code)) + "%"


def _prefixes_sql(codes: Iterable[str], column: str) -> tuple[str, list[Any]]:
    codes = sorted(codes)
    if not codes:
        return "1 = 0", []
    like = f"{column} LIKE %s ESCAPE '\\'"
    return "(" + " OR ".join([like] * len(codes)) + ")", [_code_like(c) for c in codes]


# --- The three representations -----------------------------------------------------------------


def visible_checkpoints_q(user: User | None, permission: Permission = Permission.VIEW) -> Q:
    """Q on Checkpoint selecting those where ``user`` holds ``permission``."""
    return _reach(user, frozenset({permission})).q()


def checkpoints_q(user: User | None, ability: Ability = Ability.SEE) -> Q:
    """Q on Checkpoint selecting those where ``user`` has ``ability``."""
    return _reach(user, ABILITIES[ability]).q()


def checkpoints_sql(
    user: User | None, ability: Ability = Ability.SEE, *, code: str = "a.code", pk: str = "c.id"
) -> tuple[str, list[Any]]:
    """The SQL condition, with its parameters, selecting the checkpoints where ``user`` has
    ``ability``, on a checkpoint's area code column ``code`` and its id column ``pk`` (the
    figures read it by hand, see core.sql)."""
    return _reach(user, ABILITIES[ability]).sql(code=code, pk=pk)


def checkpoint_permissions(user: User | None, checkpoint: Checkpoint) -> frozenset[Permission]:
    """The permissions ``user`` holds at ``checkpoint`` (empty: the checkpoint is out of sight)."""
    scope = scope_for(user)
    code = checkpoint.area.code
    gate = any(g.role in GATE_ONLY_ROLES for g in scope.grants)
    staffed = staffed_ids(user) if gate else frozenset()
    permissions: set[Permission] = set()
    for grant in scope.grants:
        if _counts_at(grant, code, checkpoint.pk, staffed):
            permissions |= grant.permissions
    return frozenset(permissions)


@dataclass(frozen=True)
class CheckpointAbilities:
    """What a user may do at one checkpoint, one boolean per ``Ability``."""

    see: bool = False
    manage: bool = False
    register: bool = False
    use_kit: bool = False
    read_register: bool = False
    view_personal_data: bool = False
    handle_alerts: bool = False

    def __getitem__(self, ability: Ability) -> bool:
        return bool(getattr(self, ability.value))

    @property
    def see_alert_person(self) -> bool:
        return self[SEE_ALERT_PERSON]


def checkpoint_abilities(user: User | None, checkpoint: Checkpoint) -> CheckpointAbilities:
    """What ``user`` may do at ``checkpoint``."""
    granted = checkpoint_permissions(user, checkpoint)
    return CheckpointAbilities(
        **{ability.value: bool(granted & wanted) for ability, wanted in ABILITIES.items()}
    )


def require_checkpoint(user: User | None, checkpoint: Checkpoint, ability: Ability) -> None:
    """Refuse unless ``ability`` holds at the checkpoint: 404 out of sight, else 403."""
    granted = checkpoint_permissions(user, checkpoint)
    if not granted & ABILITIES[Ability.SEE]:
        raise NotFound()
    if not granted & ABILITIES[ability]:
        raise PermissionDenied()


def sees(user: User | None, checkpoint: Checkpoint) -> bool:
    """Whether the checkpoint is in the user's sight (``checkpoint_abilities(...).see``)."""
    return bool(checkpoint_permissions(user, checkpoint) & ABILITIES[Ability.SEE])


def may_create_checkpoints(user: User | None) -> bool:
    """Whether the user may register a checkpoint anywhere (the list's "new" button)."""
    return bool(scope_for(user).codes(CREATE_PERMISSION))


def require_create_checkpoint(user: User, area: Area) -> None:
    """Refuse to register a checkpoint in ``area`` unless the user may (404 out of sight,
    else 403)."""
    scope_for(user).require(area, CREATE_PERMISSION)


def may_handle_any_alerts(user: User | None) -> bool:
    return bool(scope_for(user).codes(Permission.HANDLE_ALERTS))


def may_read_risk_areas(user: User | None) -> bool:
    """Whether the user reads HQ's risk-area list in force: anyone holding a grant."""
    return not scope_for(user).is_empty


def may_manage_risk_areas(user: User | None) -> bool:
    return scope_for(user).is_district_wide(Permission.MANAGE_RISK_AREAS)


# --- Alerts ------------------------------------------------------------------------------------


def escalation_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Alerts raised before this and still open are escalated (to the town)."""
    now = now or timezone.now()
    return now - datetime.timedelta(minutes=settings.ALERT_ESCALATION_MINUTES)


def alerts_answered_q(user: User, *, now: datetime.datetime | None = None) -> Q | None:
    """Q on Alert selecting those the user answers for (None: none at all): at checkpoints they
    are in charge of, or in villages they are the liaison cadre of; and, once escalated, every
    alert in the towns where they hold a town's grant to handle alerts. Always only where
    they may handle alerts (a cadre whose grants were revoked, or who never held one there,
    answers for nothing)."""
    if not user.is_authenticated:
        return None
    mine = Q(pk__in=[])
    cadre = getattr(user, "cadre", None)
    if cadre is not None:
        villages = LiaisonAssignment.objects.filter(cadre=cadre, until__isnull=True).values(
            "area_id"
        )
        mine |= Q(checkpoint__person_in_charge=cadre) | Q(checkpoint__area_id__in=villages)
    towns = sorted(
        {
            grant.area_code
            for grant in scope_for(user).grants
            if grant.area_kind == AreaKind.TOWN
            and ABILITIES[Ability.HANDLE_ALERTS] & grant.permissions
        }
    )
    if towns:
        mine |= Q(raised_at__lt=escalation_cutoff(now)) & _prefix_q(towns, "checkpoint__area__")
    if cadre is None and not towns:
        return None
    handled_here = Checkpoint.objects.filter(checkpoints_q(user, Ability.HANDLE_ALERTS))
    return Q(checkpoint__in=handled_here) & mine


# --- Who may staff a gate ------------------------------------------------------------------------


def staff_candidates(checkpoint: Checkpoint) -> QuerySet[User]:
    """Who may be put on this gate's staff: active holders of a staff role whose grants cover
    its village, and whoever is on it already."""
    code = checkpoint.area.code
    prefixes = [code[:n] for n in range(2, len(code) + 1)]
    granted = RoleGrant.objects.filter(role__in=STAFF_ROLES, area__code__in=prefixes).values(
        "user_id"
    )
    return User.objects.filter(
        Q(pk__in=granted) | Q(pk__in=checkpoint.staff.values("pk")), is_active=True
    ).order_by("username")


def may_staff(user: User, checkpoint: Checkpoint) -> bool:
    """Whether ``user`` can register at this gate once on its staff."""
    return user.is_active and scope_for(user).covers(checkpoint.area, STAFF_PERMISSION)
