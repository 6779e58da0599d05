"""Reads of checkpoints, shifts, the register, alerts and figures, always through the user's scope.

Who sees a checkpoint: anyone whose grants cover its village, except that a checkpoint_staff
grant counts only at the checkpoints the user staffs (staff of one gate do not read another's
register, even in the same village).
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from dualtrack.areas.models import Area, AreaKind, LiaisonAssignment, Role
from dualtrack.areas.scoping import ROOT_CODE, Permission, scope_for
from dualtrack.checkpoints.models import (
    Alert,
    Checkpoint,
    CheckpointStaff,
    DailyFigure,
    FigureCounters,
    KitCheck,
    KitItem,
    Passage,
    RiskArea,
    Shift,
    ShiftFigure,
)
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User

MAX_PAGE_SIZE = 200

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


def _staffed_ids(user: User) -> set[int]:
    cached = getattr(user, "_dualtrack_staffed", None)
    if cached is None:
        cached = set(
            CheckpointStaff.objects.filter(user=user).values_list("checkpoint_id", flat=True)
        )
        user._dualtrack_staffed = cached  # type: ignore[attr-defined]
    return cached


def _prefix_q(codes: Iterable[str], prefix: str = "area__") -> Q:
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{f"{prefix}code__startswith": code})
    return q


def visible_checkpoints_q(user: User | None, permission: Permission = Permission.VIEW) -> Q:
    """Q on Checkpoint selecting those where ``user`` holds ``permission``."""
    scope = scope_for(user)
    broad = {
        g.area_code
        for g in scope.grants
        if g.role != Role.CHECKPOINT_STAFF and permission in g.permissions
    }
    if any(len(code) == len(ROOT_CODE) for code in broad):
        return Q()
    q = _prefix_q(broad)
    gate = {
        g.area_code
        for g in scope.grants
        if g.role == Role.CHECKPOINT_STAFF and permission in g.permissions
    }
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


def checkpoint_get_for(user: User, pk: int) -> Checkpoint:
    """One checkpoint the user can see, or NotFound."""
    checkpoint = (
        Checkpoint.objects.filter(visible_checkpoints_q(user), pk=pk)
        .select_related("area", "person_in_charge")
        .first()
    )
    if checkpoint is None:
        raise NotFound()
    return checkpoint


def checkpoints_staffed_by(user: User) -> QuerySet[Checkpoint]:
    """The checkpoints the user is on the staff of (and can still see)."""
    return checkpoint_list_for(user).filter(pk__in=_staffed_ids(user))


def kit_for(checkpoint: Checkpoint) -> list[tuple[str, str, KitCheck | None]]:
    """The ten ones in order: (item, label, its latest check or None)."""
    checks = {c.item: c for c in checkpoint.kit_checks.select_related("checked_by")}
    return [(item.value, str(item.label), checks.get(item.value)) for item in KitItem]


# --- Shifts ----------------------------------------------------------------------------------


def current_shift(checkpoint: Checkpoint, now: datetime.datetime | None = None) -> Shift | None:
    """The shift on duty at ``now`` (the one that started last, if they overlap)."""
    now = now or timezone.now()
    return (
        Shift.objects.filter(checkpoint=checkpoint, starts_at__lte=now, ends_at__gt=now)
        .order_by("-starts_at")
        .first()
    )


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
    limit = max(1, min(limit, MAX_PAGE_SIZE))
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


def _escalation_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
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
        cutoff = _escalation_cutoff(now)
        late = Q(handled_at__isnull=True, raised_at__lt=cutoff)
        qs = qs.filter(late if escalated else ~late)
    if town_id is not None:
        town = Area.objects.filter(pk=town_id).first()
        if town is None:
            return []
        qs = qs.filter(checkpoint__area__code__startswith=town.code)
    if checkpoint_id is not None:
        qs = qs.filter(checkpoint_id=checkpoint_id)
    return list(qs.order_by("-raised_at", "-id")[: max(1, min(limit, MAX_PAGE_SIZE))])


def alert_inbox_for(user: User, *, now: datetime.datetime | None = None) -> list[Alert]:
    """Open alerts the user answers for: at checkpoints they are in charge of, or in villages
    they are the liaison cadre of."""
    cadre = getattr(user, "cadre", None) if user.is_authenticated else None
    if cadre is None:
        return []
    villages = LiaisonAssignment.objects.filter(cadre=cadre, until__isnull=True).values("area_id")
    return list(
        Alert.objects.filter(handled_at__isnull=True)
        .filter(Q(checkpoint__person_in_charge=cadre) | Q(checkpoint__area_id__in=villages))
        .select_related("checkpoint__area", "passage")
        .order_by("-raised_at", "-id")[:MAX_PAGE_SIZE]
    )


def alert_get_for(user: User, pk: int) -> Alert:
    """One alert at a checkpoint the user can see, or NotFound."""
    alert = Alert.objects.select_related("checkpoint__area", "passage").filter(pk=pk).first()
    if alert is None or Permission.VIEW not in checkpoint_permissions(user, alert.checkpoint):
        raise NotFound()
    return alert


# --- Risk areas ------------------------------------------------------------------------------


def risk_areas_current(on: datetime.date | None = None) -> list[RiskArea]:
    """The risk areas in force on a day (today by default)."""
    on = on or timezone.localdate()
    return list(
        RiskArea.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("region_code")
    )


def risk_area_list_for(user: User) -> QuerySet[RiskArea]:
    """HQ's list, every entry, current and past: anyone signed in with a grant may read it."""
    if scope_for(user).is_empty:
        return RiskArea.objects.none()
    return RiskArea.objects.order_by("-effective_from", "region_code")


def risk_area_get_for(user: User, pk: int) -> RiskArea:
    risk_area = risk_area_list_for(user).filter(pk=pk).first()
    if risk_area is None:
        raise NotFound()
    return risk_area


# --- Figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    people_in: int
    people_out: int
    fevers: int
    risk_arrivals: int
    alerts_raised: int
    alerts_open: int
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


def _figure_checkpoints(
    user: User, checkpoint: Checkpoint | None, area: Area | None
) -> tuple[Q, Q]:
    """(Q on DailyFigure, Q on Alert) for the checkpoints the figures cover."""
    if checkpoint is not None:
        require_checkpoint(user, checkpoint, Permission.VIEW)
        return Q(checkpoint_id=checkpoint.pk), Q(checkpoint_id=checkpoint.pk)
    visible = visible_checkpoints_q(user)
    if area is not None:
        if (
            not scope_for(user).covers(area)
            and not Checkpoint.objects.filter(visible, area__code__startswith=area.code).exists()
        ):
            raise NotFound()
        visible &= Q(area__code__startswith=area.code)
    if not visible:  # district-wide, no area: every checkpoint
        return Q(), Q()
    ids = Checkpoint.objects.filter(visible).values("id")
    return Q(checkpoint_id__in=ids), Q(checkpoint_id__in=ids)


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
    figure_q, alert_q = _figure_checkpoints(user, checkpoint, area)
    sums = DailyFigure.objects.filter(figure_q, day=day).aggregate(
        **{name: Sum(name) for name in FigureCounters.COUNTERS}
    )
    counts = Counts.of(sums)
    minutes: list[float] = []
    if counts.alerts_handled:
        start, end = day_bounds(day)
        handled = Alert.objects.filter(
            alert_q, raised_at__gte=start, raised_at__lt=end, handled_at__isnull=False
        ).values_list("raised_at", "handled_at")
        minutes = [(h - r).total_seconds() / 60 for r, h in handled if h is not None]
    return Figures(
        people_in=counts.people_in,
        people_out=counts.people_out,
        fevers=counts.fevers,
        risk_arrivals=counts.risk_arrivals,
        alerts_raised=counts.alerts_raised,
        alerts_open=counts.alerts_open,
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
    figure_q, _ = _figure_checkpoints(user, checkpoint, area)
    rows: dict[datetime.date, dict[str, Any]] = {
        row["day"]: dict(row)
        for row in DailyFigure.objects.filter(figure_q, day__gte=since, day__lte=until)
        .values("day")
        .annotate(**{name: Sum(name) for name in FigureCounters.COUNTERS})
    }
    result = []
    for n in range(days):
        day = since + datetime.timedelta(days=n)
        counts = Counts.of(rows.get(day))
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
