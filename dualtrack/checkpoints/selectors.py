"""Reads of checkpoints, shifts, the register, alerts and figures, always through the user's scope.

Who sees a checkpoint: anyone whose grants cover its village, except that a checkpoint_staff
grant counts only at the checkpoints the user staffs (staff of one gate do not read another's
register, even in the same village).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, AreaKind, Cadre, LiaisonAssignment, Role, RoleGrant
from dualtrack.areas.scoping import ROOT_CODE, Permission, scope_for
from dualtrack.areas.selectors import cadre_get_for
from dualtrack.checkpoints.models import (
    Alert,
    Checkpoint,
    CheckpointStaff,
    DailyFigure,
    FigureCounters,
    KitCheck,
    KitItem,
    Passage,
    Shift,
    ShiftFigure,
)
from dualtrack.core import sql
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.core.selectors import MAX_PAGE_SIZE, page_size

# Reading a checkpoint's register needs one of these on top of seeing the checkpoint.
REGISTER_READERS = frozenset(
    {
        Permission.REGISTER_PASSAGE,
        Permission.HANDLE_ALERTS,
        Permission.MANAGE_CHECKPOINTS,
        Permission.VIEW_PERSONAL_DATA,
    }
)


# --- Access ----------------------------------------------------------------------------------


_STAFFED_SQL = f"SELECT checkpoint_id FROM {CheckpointStaff._meta.db_table} WHERE user_id = %s"  # noqa: S608


def _staffed_ids(user: User) -> set[int]:
    cached = getattr(user, "_dualtrack_staffed", None)
    if cached is None:
        cached = {pk for (pk,) in sql.fetch_all(_STAFFED_SQL, [user.pk])}
        user._dualtrack_staffed = cached  # type: ignore[attr-defined]
    return cached


def _prefix_q(codes: Iterable[str], prefix: str = "area__") -> Q:
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{f"{prefix}code__startswith": code})
    return q


def _grant_codes(user: User | None, permission: Permission) -> tuple[set[str], set[str]]:
    """The area codes where ``user`` holds ``permission``: (by grants that cover every checkpoint
    below them, by checkpoint_staff grants, which count only at the gates the user staffs)."""
    grants = scope_for(user).grants
    broad = {
        g.area_code
        for g in grants
        if g.role != Role.CHECKPOINT_STAFF and permission in g.permissions
    }
    gate = {
        g.area_code
        for g in grants
        if g.role == Role.CHECKPOINT_STAFF and permission in g.permissions
    }
    return broad, gate


def _district_wide(codes: Iterable[str]) -> bool:
    return any(len(code) == len(ROOT_CODE) for code in codes)


def visible_checkpoints_q(user: User | None, permission: Permission = Permission.VIEW) -> Q:
    """Q on Checkpoint selecting those where ``user`` holds ``permission``."""
    broad, gate = _grant_codes(user, permission)
    if _district_wide(broad):
        return Q()
    q = _prefix_q(broad)
    if gate and user is not None:
        q |= _prefix_q(gate) & Q(pk__in=_staffed_ids(user))
    return q


def checkpoint_permissions(user: User | None, checkpoint: Checkpoint) -> frozenset[Permission]:
    """What ``user`` may do at ``checkpoint`` (empty: the checkpoint is out of sight)."""
    scope = scope_for(user)
    code = checkpoint.area.code
    permissions: set[Permission] = set()
    for grant in scope.grants:
        if not code.startswith(grant.area_code):
            continue
        if grant.role == Role.CHECKPOINT_STAFF and (
            user is None or checkpoint.pk not in _staffed_ids(user)
        ):
            continue
        permissions |= grant.permissions
    return frozenset(permissions)


def require_checkpoint(user: User | None, checkpoint: Checkpoint, permission: Permission) -> None:
    """Refuse unless ``permission`` holds at the checkpoint: 404 out of sight, else 403."""
    permissions = checkpoint_permissions(user, checkpoint)
    if Permission.VIEW not in permissions:
        raise NotFound()
    if permission not in permissions:
        raise PermissionDenied()


def can_read_register(user: User, checkpoint: Checkpoint) -> bool:
    return bool(checkpoint_permissions(user, checkpoint) & REGISTER_READERS)


def can_view_personal_data(user: User, checkpoint: Checkpoint) -> bool:
    return Permission.VIEW_PERSONAL_DATA in checkpoint_permissions(user, checkpoint)


def register_checkpoints_q(user: User | None) -> Q:
    """Q on Checkpoint selecting those whose register the user may read: where a person was
    last seen, and which earlier passage a registration may start from, come only from these."""
    q = Q(pk__in=[])
    for permission in sorted(REGISTER_READERS):
        each = visible_checkpoints_q(user, permission)
        if not each:  # every checkpoint (Q() would be dropped from an OR, not widen it)
            return each
        q |= each
    return q


def can_see_alert_person(user: User, checkpoint: Checkpoint) -> bool:
    """Whether the user sees who an alert at this checkpoint is about (name, temperature, where
    from, the passage, the note): those who may handle it. A role that only views (a volunteer,
    a working group without a prevention or medical duty) sees that there is an alert, not
    whose."""
    return Permission.HANDLE_ALERTS in checkpoint_permissions(user, checkpoint)


# --- What a write may refer to -----------------------------------------------------------------
#
# Every record a write names by id is found through the acting user's scope: out of it, it is
# not found (404), with the same answer as an id that does not exist.


def _not_found(field: str, message: str | None = None) -> NotFound:
    text = str(message or NotFound.default_message)
    return NotFound(text, errors=[{"field": field, "message": text}])


def area_for_write(user: User, area_id: int, *, field: str) -> Area:
    """An area the user can see, to register a checkpoint in; NotFound otherwise (whether the
    role may register there is the service's 403)."""
    area = Area.objects.filter(pk=area_id).first() if sql.is_key(area_id) else None
    if area is None or not scope_for(user).covers(area):
        raise _not_found(field)
    return area


def figures_area_for(user: User, area_id: int, *, field: str) -> Area:
    """An area whose figures the user may read: in their scope, or holding a checkpoint they see
    (a gate's staff, their gate's village and town); NotFound otherwise, the same answer as for
    an id that exists nowhere."""
    area = Area.objects.filter(pk=area_id).first() if sql.is_key(area_id) else None
    if area is not None and (
        scope_for(user).covers(area)
        or Checkpoint.objects.filter(
            visible_checkpoints_q(user), area__code__startswith=area.code
        ).exists()
    ):
        return area
    raise _not_found(field)


def cadre_choices_for(user: User, checkpoint: Checkpoint | None = None) -> QuerySet[Cadre]:
    """The cadres a person-in-charge select offers: those the user can see, and the checkpoint's
    current person in charge (shown on its page already), so that saving keeps them."""
    visible = scope_for(user).filter_by_area(Cadre.objects.all())
    if checkpoint is not None and checkpoint.person_in_charge_id is not None:
        visible = visible | Cadre.objects.filter(pk=checkpoint.person_in_charge_id)
    return visible.select_related("area").order_by("area__code", "name")


def cadre_for_write(
    user: User, cadre: Cadre | int, *, field: str, current: Cadre | None = None
) -> Cadre:
    """A cadre the user can see (the areas' scope of cadres), to be a checkpoint's person in
    charge, or the ``current`` one kept as it is; NotFound otherwise."""
    pk = cadre.pk if isinstance(cadre, Cadre) else cadre
    if current is not None and pk == current.pk:
        return current
    if sql.is_key(pk) and not isinstance(pk, bool):
        with contextlib.suppress(NotFound):
            return cadre_get_for(user=user, cadre_id=pk)
    raise _not_found(field)


def _users_among(
    candidates: QuerySet[User], users: Iterable[User | int], field: str, message: str
) -> list[User]:
    wanted = {u.pk if isinstance(u, User) else u for u in users}
    if not all(sql.is_key(pk) and not isinstance(pk, bool) for pk in wanted):
        raise _not_found(field, message)
    found = list(candidates.filter(pk__in=wanted)) if wanted else []
    if len(found) != len(wanted):
        raise _not_found(field, message)
    return sorted(found, key=lambda u: u.pk)


def staff_for_write(
    user: User, checkpoint: Checkpoint, users: Iterable[User | int], *, field: str
) -> list[User]:
    """The people a manager puts on a gate's staff, each among ``staff_candidates``; any other
    id (another town's, the district's, none at all) is not found."""
    require_checkpoint(user, checkpoint, Permission.MANAGE_CHECKPOINTS)
    return _users_among(
        staff_candidates(checkpoint),
        users,
        field,
        _("No such person among those who may work at this checkpoint."),
    )


def shift_staff_for_write(
    user: User, checkpoint: Checkpoint, users: Iterable[User | int], *, field: str
) -> list[User]:
    """The people a manager puts on a shift, each on the gate's staff; any other id is not
    found."""
    require_checkpoint(user, checkpoint, Permission.MANAGE_CHECKPOINTS)
    return _users_among(
        User.objects.filter(pk__in=checkpoint.staff.values("pk")),
        users,
        field,
        _("No such person on this checkpoint's staff."),
    )


# --- Checkpoints -----------------------------------------------------------------------------


def checkpoint_list_for(
    user: User,
    *,
    town_id: int | None = None,
    area_id: int | None = None,
    status: str | None = None,
    q: str = "",
) -> QuerySet[Checkpoint]:
    """Checkpoints the user can see, by area code and name."""
    qs = Checkpoint.objects.filter(visible_checkpoints_q(user)).select_related(
        "area", "person_in_charge"
    )
    for area_pk in (town_id, area_id):
        if area_pk is not None:
            area = Area.objects.filter(pk=area_pk).first()
            if area is None:
                return qs.none()
            qs = qs.filter(area__code__startswith=area.code)
    if status:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(area__name__contains=q))
    return qs.order_by("area__code", "name")


@functools.cache
def _checkpoint_sql() -> tuple[str, sql.Loader, sql.Loader, sql.Loader]:
    checkpoint = sql.loader(Checkpoint, "c")
    area = sql.loader(Area, "a")
    person_model = Checkpoint._meta.get_field("person_in_charge").related_model
    person = sql.loader(person_model, "p")
    statement = (
        f"SELECT {checkpoint.columns}, {area.columns}, {person.columns} "  # noqa: S608
        f"FROM {Checkpoint._meta.db_table} c JOIN {Area._meta.db_table} a ON a.id = c.area_id "
        f"LEFT JOIN {person_model._meta.db_table} p ON p.id = c.person_in_charge_id "
        "WHERE c.id = %s"
    )
    return statement, checkpoint, area, person


def checkpoint_get_for(user: User, pk: int) -> Checkpoint:
    """One checkpoint the user can see (its area and person in charge loaded), or NotFound.

    Read on every registration at a gate, so by hand (see core.sql); who sees it is
    ``checkpoint_permissions``, the same rule as ``visible_checkpoints_q``."""
    statement, checkpoint_of, area_of, person_of = _checkpoint_sql()
    row = sql.fetch_one(statement, [pk]) if sql.is_key(pk) else None
    if row is None:
        raise NotFound()
    split, end = checkpoint_of.width, checkpoint_of.width + area_of.width
    checkpoint = checkpoint_of(row[:split])
    checkpoint.area = area_of(row[split:end])
    checkpoint.person_in_charge = person_of(row[end:]) if row[end] is not None else None
    if Permission.VIEW not in checkpoint_permissions(user, checkpoint):
        raise NotFound()
    return checkpoint


def staff_candidates(checkpoint: Checkpoint) -> QuerySet[User]:
    """Who may be put on this gate's staff: village cadres and checkpoint staff whose grants
    cover its village, and whoever is on it already."""
    code = checkpoint.area.code
    prefixes = [code[:n] for n in range(2, len(code) + 1)]
    granted = RoleGrant.objects.filter(
        role__in=[Role.VILLAGE_CADRE, Role.CHECKPOINT_STAFF], area__code__in=prefixes
    ).values("user_id")
    return User.objects.filter(
        Q(pk__in=granted) | Q(pk__in=checkpoint.staff.values("pk")), is_active=True
    ).order_by("username")


def checkpoints_staffed_by(user: User) -> QuerySet[Checkpoint]:
    """The checkpoints the user is on the staff of (and can still see)."""
    return checkpoint_list_for(user).filter(pk__in=_staffed_ids(user))


def kit_for(checkpoint: Checkpoint) -> list[tuple[str, str, KitCheck | None]]:
    """The ten ones in order: (item, label, its latest check or None)."""
    checks = {c.item: c for c in checkpoint.kit_checks.select_related("checked_by")}
    return [(item.value, str(item.label), checks.get(item.value)) for item in KitItem]


# --- Shifts ----------------------------------------------------------------------------------


_SHIFT_AT_SQL = (
    f"SELECT id FROM {Shift._meta.db_table} "  # noqa: S608
    "WHERE checkpoint_id = %s AND starts_at <= %s AND ends_at > %s "
    "ORDER BY starts_at DESC, id DESC LIMIT 1"
)


def current_shift_id(checkpoint_id: int, moment: datetime.datetime) -> int | None:
    """The id of the shift on duty at ``moment`` (the one that started last, if they overlap);
    read by hand, as every registration asks (see core.sql)."""
    at = connection.ops.adapt_datetimefield_value(moment)
    row = sql.fetch_one(_SHIFT_AT_SQL, [checkpoint_id, at, at])
    return row[0] if row else None


def current_shift(checkpoint: Checkpoint, now: datetime.datetime | None = None) -> Shift | None:
    """The shift on duty at ``now`` (the one that started last, if they overlap)."""
    shift_id = current_shift_id(checkpoint.pk, now or timezone.now())
    return Shift.objects.filter(pk=shift_id).first() if shift_id else None


def shift_list_for(
    user: User, checkpoint: Checkpoint, day: datetime.date | None = None
) -> QuerySet[Shift]:
    """A checkpoint's roster, newest first; the shifts overlapping one local day if given."""
    require_checkpoint(user, checkpoint, Permission.VIEW)
    qs = Shift.objects.filter(checkpoint=checkpoint).prefetch_related("staff")
    if day is not None:
        start, end = day_bounds(day)
        qs = qs.filter(starts_at__lt=end, ends_at__gt=start)
    return qs.order_by("-starts_at")


def shift_get_for(user: User, pk: int) -> Shift:
    """One shift of a checkpoint the user can see, or NotFound."""
    shift = (
        Shift.objects.filter(
            pk=pk, checkpoint__in=Checkpoint.objects.filter(visible_checkpoints_q(user))
        )
        .select_related("checkpoint__area")
        .first()
    )
    if shift is None:
        raise NotFound()
    return shift


@dataclass(frozen=True)
class Counts:
    people_in: int = 0
    people_out: int = 0
    fevers: int = 0
    risk_arrivals: int = 0
    alerts_raised: int = 0
    alerts_handled: int = 0

    @property
    def alerts_open(self) -> int:
        return self.alerts_raised - self.alerts_handled

    @classmethod
    def of(cls, row: FigureCounters | dict | None) -> Counts:
        if row is None:
            return cls()
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        return cls(**{name: get(name) or 0 for name in FigureCounters.COUNTERS})


def shift_summary(shift: Shift) -> Counts:
    """People in and out, fevers and alerts of a shift (kept current as rows arrive)."""
    return Counts.of(ShiftFigure.objects.filter(shift=shift).first())


# --- Readiness -------------------------------------------------------------------------------


@dataclass
class CheckpointReadiness:
    checkpoint: Checkpoint
    missing_items: list[str]
    on_duty_now: bool

    @property
    def ready(self) -> bool:
        return not self.missing_items and self.on_duty_now


@dataclass
class TownReadiness:
    town: Area
    checkpoints: list[CheckpointReadiness] = field(default_factory=list)

    @property
    def not_ready(self) -> int:
        return sum(1 for c in self.checkpoints if not c.ready)


def readiness_for(
    user: User, *, now: datetime.datetime | None = None, only_gaps: bool = True
) -> list[TownReadiness]:
    """Per town, the open checkpoints missing a kit item or with no one on duty now."""
    now = now or timezone.now()
    checkpoints = list(checkpoint_list_for(user).filter(status="open"))
    ids = [c.pk for c in checkpoints]
    present: dict[int, set[str]] = {}
    for cp_id, item in KitCheck.objects.filter(checkpoint_id__in=ids, present=True).values_list(
        "checkpoint_id", "item"
    ):
        present.setdefault(cp_id, set()).add(item)
    on_duty = set(
        Shift.objects.filter(
            checkpoint_id__in=ids, starts_at__lte=now, ends_at__gt=now, staff__isnull=False
        ).values_list("checkpoint_id", flat=True)
    )
    town_len = len(ROOT_CODE) + 2
    towns = {
        t.code: t
        for t in Area.objects.filter(
            kind=AreaKind.TOWN, code__in={c.area.code[:town_len] for c in checkpoints}
        )
    }
    result: dict[str, TownReadiness] = {}
    for checkpoint in checkpoints:
        have = present.get(checkpoint.pk, set())
        missing = [item.value for item in KitItem if item.value not in have]
        entry = CheckpointReadiness(checkpoint, missing, checkpoint.pk in on_duty)
        if only_gaps and entry.ready:
            continue
        town = towns[checkpoint.area.code[:town_len]]
        result.setdefault(town.code, TownReadiness(town)).checkpoints.append(entry)
    return [result[code] for code in sorted(result)]


# --- The register ----------------------------------------------------------------------------


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware start and end of a local day."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=1)


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _require_register(user: User, checkpoint: Checkpoint) -> None:
    require_checkpoint(user, checkpoint, Permission.VIEW)
    if not can_read_register(user, checkpoint):
        raise PermissionDenied()


def passage_list_for(
    user: User,
    checkpoint: Checkpoint,
    *,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    after: int | None = None,
    limit: int = 50,
) -> list[Passage]:
    """The register of one checkpoint, newest first, one keyset page (``after`` = last id seen).

    Rows carry ID numbers and phones; show them through ``masked_*`` unless
    ``can_view_personal_data`` (and audit the unmasked view).
    """
    _require_register(user, checkpoint)
    qs = Passage.objects.filter(checkpoint=checkpoint)
    if since is not None:
        qs = qs.filter(occurred_at__gte=since)
    if until is not None:
        qs = qs.filter(occurred_at__lt=until)
    if after:
        anchor = Passage.objects.filter(pk=after, checkpoint=checkpoint).values("occurred_at")
        row = anchor.first()
        if row is not None:
            qs = qs.filter(
                Q(occurred_at__lt=row["occurred_at"])
                | Q(occurred_at=row["occurred_at"], pk__lt=after)
            )
    limit = page_size(limit)
    return list(qs.select_related("alert").order_by("-occurred_at", "-id")[:limit])


def passage_get_for(user: User, pk: int) -> Passage:
    """One passage of a checkpoint whose register the user may read, or NotFound."""
    passage = Passage.objects.select_related("checkpoint__area").filter(pk=pk).first()
    if passage is None or Permission.VIEW not in checkpoint_permissions(user, passage.checkpoint):
        raise NotFound()
    if not can_read_register(user, passage.checkpoint):
        raise PermissionDenied()
    return passage


def pending_self_registrations(user: User, checkpoint: Checkpoint) -> list[Passage]:
    """Self-registrations of the last day still awaiting the staff's temperature reading."""
    _require_register(user, checkpoint)
    since = timezone.now() - datetime.timedelta(days=1)
    return list(
        Passage.objects.filter(
            checkpoint=checkpoint, temperature__isnull=True, occurred_at__gte=since
        ).order_by("occurred_at", "id")[:MAX_PAGE_SIZE]
    )


# --- Alerts ----------------------------------------------------------------------------------


def escalation_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Alerts raised before this and still open are escalated (to the town)."""
    now = now or timezone.now()
    return now - datetime.timedelta(minutes=settings.ALERT_ESCALATION_MINUTES)


def alert_list_for(
    user: User,
    *,
    status: str = "open",
    escalated: bool | None = None,
    town_id: int | None = None,
    checkpoint_id: int | None = None,
    now: datetime.datetime | None = None,
    limit: int = MAX_PAGE_SIZE,
) -> list[Alert]:
    """Alerts at checkpoints where the user may handle alerts (or see them), newest first."""
    qs = Alert.objects.filter(
        checkpoint__in=Checkpoint.objects.filter(visible_checkpoints_q(user))
    ).select_related("checkpoint__area", "passage", "handled_by")
    if status == "open":
        qs = qs.filter(handled_at__isnull=True)
    elif status == "handled":
        qs = qs.filter(handled_at__isnull=False)
    if escalated is not None:
        cutoff = escalation_cutoff(now)
        late = Q(handled_at__isnull=True, raised_at__lt=cutoff)
        qs = qs.filter(late if escalated else ~late)
    if town_id is not None:
        town = Area.objects.filter(pk=town_id).first()
        if town is None:
            return []
        qs = qs.filter(checkpoint__area__code__startswith=town.code)
    if checkpoint_id is not None:
        qs = qs.filter(checkpoint_id=checkpoint_id)
    return list(qs.order_by("-raised_at", "-id")[: page_size(limit)])


def alert_inbox_for(user: User, *, now: datetime.datetime | None = None) -> list[Alert]:
    """Open alerts the user answers for: at checkpoints they are in charge of, or in villages
    they are the liaison cadre of; and, once escalated, every open alert in the towns where they
    hold a town's grant to handle alerts. Always only where their role grants let them handle
    alerts (a cadre whose grants were revoked, or who never held one there, reads nothing)."""
    if not user.is_authenticated:
        return []
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
            if grant.area_kind == AreaKind.TOWN and Permission.HANDLE_ALERTS in grant.permissions
        }
    )
    if towns:
        mine |= Q(raised_at__lt=escalation_cutoff(now)) & _prefix_q(towns, "checkpoint__area__")
    if cadre is None and not towns:
        return []
    handled_here = Checkpoint.objects.filter(visible_checkpoints_q(user, Permission.HANDLE_ALERTS))
    return list(
        Alert.objects.filter(handled_at__isnull=True, checkpoint__in=handled_here)
        .filter(mine)
        .select_related("checkpoint__area", "passage")
        .order_by("-raised_at", "-id")[:MAX_PAGE_SIZE]
    )


def alert_get_for(user: User, pk: int) -> Alert:
    """One alert at a checkpoint the user can see, or NotFound."""
    alert = Alert.objects.select_related("checkpoint__area", "passage").filter(pk=pk).first()
    if alert is None or Permission.VIEW not in checkpoint_permissions(user, alert.checkpoint):
        raise NotFound()
    return alert


# --- Figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    people_in: int
    people_out: int
    fevers: int
    risk_arrivals: int
    alerts_raised: int
    alerts_open: int  # open at the end of the day (today: now), whenever raised
    alerts_handled: int
    median_minutes_to_handle: float | None


@dataclass(frozen=True)
class DayFigure:
    day: datetime.date
    people_in: int
    people_out: int
    fevers: int
    risk_arrivals: int
    alerts_raised: int
    alerts_handled: int

    @property
    def alerts_open(self) -> int:
        return self.alerts_raised - self.alerts_handled


_FIGURES = DailyFigure._meta.db_table
_SUMS = ", ".join(f"COALESCE(SUM({name}), 0)" for name in FigureCounters.COUNTERS)
_CHECKPOINTS_IN = (
    f"SELECT c.id FROM {Checkpoint._meta.db_table} c "  # noqa: S608
    f"JOIN {Area._meta.db_table} a ON a.id = c.area_id WHERE "
)


def _code_like(code: str) -> str:
    return connection.ops.prep_for_like_query(code) + "%"


def _prefixes_sql(codes: Iterable[str]) -> tuple[str, list[str]]:
    codes = sorted(codes)
    if not codes:
        return "1 = 0", []
    return "(" + " OR ".join(["a.code LIKE %s ESCAPE '\\'"] * len(codes)) + ")", [
        _code_like(code) for code in codes
    ]


def _figure_checkpoints(
    user: User, checkpoint: Checkpoint | None, area: Area | None
) -> tuple[str, list[Any]]:
    """A condition on ``checkpoint_id`` selecting the checkpoints the figures cover, with its
    parameters: the same checkpoints as ``visible_checkpoints_q`` (under ``area``), in SQL of
    its own, as the figures are read on every dashboard refresh (see core.sql)."""
    if checkpoint is not None:
        require_checkpoint(user, checkpoint, Permission.VIEW)
        return "checkpoint_id = %s", [checkpoint.pk]
    if area is not None and not scope_for(user).covers(area):
        visible = Checkpoint.objects.filter(visible_checkpoints_q(user))
        if not visible.filter(area__code__startswith=area.code).exists():
            raise NotFound()
    broad, gate = _grant_codes(user, Permission.VIEW)
    where = ""
    params: list[Any] = []
    if _district_wide(broad):
        if area is None:
            return "1 = 1", []  # district-wide, no area: every checkpoint
    else:
        where, broad_params = _prefixes_sql(broad)
        params.extend(broad_params)
        staffed = sorted(_staffed_ids(user)) if gate else []
        if staffed:
            gate_sql, gate_params = _prefixes_sql(gate)
            marks = ", ".join(["%s"] * len(staffed))
            where = f"({where} OR ({gate_sql} AND c.id IN ({marks})))"
            params.extend([*gate_params, *staffed])
    if area is not None:
        where = f"{where} AND " if where else ""
        where += "a.code LIKE %s ESCAPE '\\'"
        params.append(_code_like(area.code))
    return f"checkpoint_id IN ({_CHECKPOINTS_IN}{where})", params


def figures_for(
    user: User,
    *,
    checkpoint: Checkpoint | None = None,
    area: Area | None = None,
    day: datetime.date | None = None,
) -> Figures:
    """One day's figures (today by default) for a checkpoint, an area (town, village) or all the
    user can see, from the daily rollups; the median time to handle from that day's alerts."""
    day = day or timezone.localdate()
    where, params = _figure_checkpoints(user, checkpoint, area)
    row = sql.fetch_one(
        f"SELECT {_SUMS} FROM {_FIGURES} WHERE day = %s AND {where}",  # noqa: S608
        [day, *params],
    )
    counts = _counts(row)
    start, end = day_bounds(day)
    # Open at the end of the day (today: open now), whenever raised: the day's rollup knows only
    # the alerts raised that day, and said 2 open while 5 waited from earlier days.
    (alerts_open,) = sql.fetch_one(
        f"SELECT COUNT(*) FROM {Alert._meta.db_table} WHERE raised_at < %s "  # noqa: S608
        f"AND (handled_at IS NULL OR handled_at >= %s) AND {where}",
        [
            connection.ops.adapt_datetimefield_value(end),
            connection.ops.adapt_datetimefield_value(end),
            *params,
        ],
    ) or (0,)
    minutes: list[float] = []
    if counts.alerts_handled:
        handled = sql.fetch_all(
            f"SELECT raised_at, handled_at FROM {Alert._meta.db_table} "  # noqa: S608
            f"WHERE raised_at >= %s AND raised_at < %s AND handled_at IS NOT NULL AND {where}",
            [
                connection.ops.adapt_datetimefield_value(start),
                connection.ops.adapt_datetimefield_value(end),
                *params,
            ],
        )
        minutes = [(sql.aware(h) - sql.aware(r)).total_seconds() / 60 for r, h in handled]  # type: ignore[operator]
    return Figures(
        people_in=counts.people_in,
        people_out=counts.people_out,
        fevers=counts.fevers,
        risk_arrivals=counts.risk_arrivals,
        alerts_raised=counts.alerts_raised,
        alerts_open=alerts_open,
        alerts_handled=counts.alerts_handled,
        median_minutes_to_handle=round(statistics.median(minutes), 1) if minutes else None,
    )


def figures_by_day(
    user: User,
    *,
    checkpoint: Checkpoint | None = None,
    area: Area | None = None,
    days: int = 14,
    until: datetime.date | None = None,
) -> list[DayFigure]:
    """The last ``days`` local days' figures, oldest first, a row for every day."""
    days = max(1, min(days, 366))
    until = until or timezone.localdate()
    since = until - datetime.timedelta(days=days - 1)
    where, params = _figure_checkpoints(user, checkpoint, area)
    rows = {
        day: _counts(sums)
        for day, *sums in sql.fetch_all(
            f"SELECT day, {_SUMS} FROM {_FIGURES} "  # noqa: S608
            f"WHERE day >= %s AND day <= %s AND {where} GROUP BY day",
            [since, until, *params],
        )
    }
    result = []
    for n in range(days):
        day = since + datetime.timedelta(days=n)
        counts = rows.get(day) or Counts()
        result.append(
            DayFigure(
                day=day,
                people_in=counts.people_in,
                people_out=counts.people_out,
                fevers=counts.fevers,
                risk_arrivals=counts.risk_arrivals,
                alerts_raised=counts.alerts_raised,
                alerts_handled=counts.alerts_handled,
            )
        )
    return result


def _counts(sums: Iterable[Any] | None) -> Counts:
    """Counts from a row of ``_SUMS``."""
    return Counts.of(dict(zip(FigureCounters.COUNTERS, sums, strict=True)) if sums else None)
