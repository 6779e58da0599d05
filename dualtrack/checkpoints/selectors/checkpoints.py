"""Reads of the registry: checkpoints, their kit, shifts and readiness."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.scoping import ROOT_CODE
from dualtrack.checkpoints.access import (
    Ability,
    require_checkpoint,
    sees,
    staffed_ids,
    visible_checkpoints_q,
)
from dualtrack.checkpoints.models import Checkpoint, KitCheck, KitItem, Shift
from dualtrack.checkpoints.selectors.register import day_bounds
from dualtrack.core import sql
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User


def checkpoint_list_for(
    *,
    user: User,
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
def _checkpoint_sql() -> tuple[str, sql.Loader[Checkpoint], sql.Loader[Area], sql.Loader[Any]]:
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


def checkpoint_get_for(*, user: User, checkpoint_id: int) -> Checkpoint:
    """One checkpoint the user can see (its area and person in charge loaded), or NotFound.

    Read on every registration at a gate, so by hand (see core.sql); who sees it is
    ``access.checkpoint_abilities``, the same rule as ``access.visible_checkpoints_q``."""
    statement, checkpoint_of, area_of, person_of = _checkpoint_sql()
    row = sql.fetch_one(statement, [checkpoint_id]) if sql.is_key(checkpoint_id) else None
    if row is None:
        raise NotFound()
    split, end = checkpoint_of.width, checkpoint_of.width + area_of.width
    checkpoint = checkpoint_of(row[:split])
    checkpoint.area = area_of(row[split:end])
    checkpoint.person_in_charge = person_of(row[end:]) if row[end] is not None else None
    if not sees(user, checkpoint):
        raise NotFound()
    return checkpoint


def checkpoints_staffed_by(*, user: User) -> QuerySet[Checkpoint]:
    """The checkpoints the user is on the staff of (and can still see)."""
    return checkpoint_list_for(user=user).filter(pk__in=staffed_ids(user))


def kit_for(*, checkpoint: Checkpoint) -> list[tuple[str, str, KitCheck | None]]:
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


def current_shift(*, checkpoint: Checkpoint, now: datetime.datetime | None = None) -> Shift | None:
    """The shift on duty at ``now`` (the one that started last, if they overlap)."""
    shift_id = current_shift_id(checkpoint.pk, now or timezone.now())
    return Shift.objects.filter(pk=shift_id).first() if shift_id else None


def shift_list_for(
    *, user: User, checkpoint: Checkpoint, day: datetime.date | None = None
) -> QuerySet[Shift]:
    """A checkpoint's roster, newest first; the shifts overlapping one local day if given."""
    require_checkpoint(user, checkpoint, Ability.SEE)
    qs = Shift.objects.filter(checkpoint=checkpoint).prefetch_related("staff")
    if day is not None:
        start, end = day_bounds(day)
        qs = qs.filter(starts_at__lt=end, ends_at__gt=start)
    return qs.order_by("-starts_at")


def shift_get_for(*, user: User, shift_id: int) -> Shift:
    """One shift of a checkpoint the user can see, or NotFound."""
    shift = (
        Shift.objects.filter(
            pk=shift_id, checkpoint__in=Checkpoint.objects.filter(visible_checkpoints_q(user))
        )
        .select_related("checkpoint__area")
        .first()
    )
    if shift is None:
        raise NotFound()
    return shift


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


def readiness_of(
    checkpoints: Sequence[Checkpoint], *, now: datetime.datetime | None = None
) -> dict[int, CheckpointReadiness]:
    """The kit and duty of checkpoints already read (in the user's sight), by id: two
    statements, whatever their number."""
    now = now or timezone.now()
    ids = [c.pk for c in checkpoints]
    present: dict[int, set[str]] = {}
    kit = KitCheck.objects.filter(checkpoint_id__in=ids, present=True).order_by()
    for cp_id, item in kit.values_list("checkpoint_id", "item"):
        present.setdefault(cp_id, set()).add(item)
    on_duty = set(
        Shift.objects.filter(
            checkpoint_id__in=ids, starts_at__lte=now, ends_at__gt=now, staff__isnull=False
        )
        .order_by()
        .values_list("checkpoint_id", flat=True)
    )
    readiness = {}
    for checkpoint in checkpoints:
        have = present.get(checkpoint.pk, set())
        missing = [item.value for item in KitItem if item.value not in have]
        readiness[checkpoint.pk] = CheckpointReadiness(
            checkpoint, missing, checkpoint.pk in on_duty
        )
    return readiness


def readiness_for(
    *, user: User, now: datetime.datetime | None = None, only_gaps: bool = True
) -> list[TownReadiness]:
    """Per town, the open checkpoints missing a kit item or with no one on duty now."""
    checkpoints = list(checkpoint_list_for(user=user).filter(status="open"))
    readiness = readiness_of(checkpoints, now=now)
    town_len = len(ROOT_CODE) + 2
    towns = {
        t.code: t
        for t in Area.objects.filter(
            kind=AreaKind.TOWN, code__in={c.area.code[:town_len] for c in checkpoints}
        )
    }
    result: dict[str, TownReadiness] = {}
    for checkpoint in checkpoints:
        entry = readiness[checkpoint.pk]
        if only_gaps and entry.ready:
            continue
        town = towns[checkpoint.area.code[:town_len]]
        result.setdefault(town.code, TownReadiness(town)).checkpoints.append(entry)
    return [result[code] for code in sorted(result)]


def shift_list_in_area_for(
    *, user: User, area: Area, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Shift]:
    """The shifts overlapping ``start``–``end`` at every checkpoint below ``area`` the user can
    see, in time order, each with its checkpoint and staff (a town's duty roster reads it).

    The gates are read first and passed as a list of ids: as a subquery, PostgreSQL guessed a
    town's gates from the area codes' statistics, counted a handful, and read every shift of
    every gate to sort them; with the ids it walks the (starts_at, id) index and stops after
    a page."""
    gates = list(
        Checkpoint.objects.filter(visible_checkpoints_q(user), area__code__startswith=area.code)
        .order_by()
        .values_list("pk", flat=True)
    )
    return (
        Shift.objects.filter(
            checkpoint_id__in=gates,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .select_related("checkpoint__area")
        .prefetch_related("staff")
        .order_by("starts_at", "id")
    )


def shift_staff_counts_in_area_for(
    *, user: User, area: Area, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[int, str, int]]:
    """The shifts overlapping ``start``–``end`` at every checkpoint below ``area`` the user can
    see, as (shift id, its checkpoint's area code, how many staff it has): one grouped read of
    numbers and codes, the gates as a subquery (the front line's gaps on the wall screen)."""
    gates = Checkpoint.objects.filter(visible_checkpoints_q(user), area__code__startswith=area.code)
    return list(
        Shift.objects.filter(
            checkpoint__in=gates.values("pk"), starts_at__lt=end, ends_at__gt=start
        )
        .order_by()
        .annotate(staff_count=Count("staff"))
        .values_list("pk", "checkpoint__area__code", "staff_count")
    )
