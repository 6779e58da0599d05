"""The twice-daily check slots of a quarantine order, and which of them were missed.

A slot is a (day, period) of the order's period: the morning's is due by
``QUARANTINE_MORNING_CHECK_BY_HOUR`` (12:00), the afternoon's opens then and is due by
``QUARANTINE_AFTERNOON_CHECK_BY_HOUR`` (20:00), local time. A slot whose deadline has passed
without a check is missed; nothing stores that, it is derived when read. A slot that fell due
before the order was placed, or after it was closed, is not the person's.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from dualtrack.health.models import CheckPeriod, OrderStatus, QuarantineCheck, QuarantineOrder

PERIODS = (CheckPeriod.MORNING, CheckPeriod.AFTERNOON)


@dataclass(frozen=True, order=True)
class Slot:
    day: datetime.date
    period: str

    @property
    def label(self) -> str:
        return f"{self.day.isoformat()} {CheckPeriod(self.period).label}"


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)


def slot_deadline(day: datetime.date, period: str) -> datetime.datetime:
    """When the slot's check is due (an aware local time)."""
    if period == CheckPeriod.MORNING:
        return _at(day, settings.QUARANTINE_MORNING_CHECK_BY_HOUR)
    return _at(day, settings.QUARANTINE_AFTERNOON_CHECK_BY_HOUR)


def slot_opens(day: datetime.date, period: str) -> datetime.datetime:
    """When the slot's check may first be recorded: the morning's at midnight, the
    afternoon's at the morning's deadline."""
    if period == CheckPeriod.MORNING:
        return _at(day, 0)
    return _at(day, settings.QUARANTINE_MORNING_CHECK_BY_HOUR)


def clock() -> datetime.datetime:
    """Now, for the person's own check: the one place the time of a self-reported check is
    read (tests set it)."""
    return timezone.now()


def current_slot(now: datetime.datetime | None = None) -> Slot:
    """The slot a check made now belongs to (the afternoon's stays open until midnight)."""
    local = timezone.localtime(now or clock())
    if local.hour < settings.QUARANTINE_MORNING_CHECK_BY_HOUR:
        return Slot(local.date(), CheckPeriod.MORNING)
    return Slot(local.date(), CheckPeriod.AFTERNOON)


def due_slots(
    order: QuarantineOrder,
    *,
    now: datetime.datetime | None = None,
    since: datetime.date | None = None,
) -> list[Slot]:
    """The order's slots whose deadline has passed by ``now`` (from ``since`` on)."""
    now = now or timezone.now()
    last = min(order.ends_on, timezone.localdate(now))
    first = max(order.starts_on, since) if since else order.starts_on
    closed = order.closed_at if order.status != OrderStatus.ACTIVE else None
    slots: list[Slot] = []
    day = first
    while day <= last:
        for period in PERIODS:
            deadline = slot_deadline(day, period)
            if deadline > now or (order.created_at and deadline <= order.created_at):
                continue
            if closed is not None and deadline > closed:
                continue
            slots.append(Slot(day, period))
        day += datetime.timedelta(days=1)
    return slots


def missed_slots(
    order: QuarantineOrder,
    checked: Iterable[tuple[datetime.date, str]],
    *,
    now: datetime.datetime | None = None,
    since: datetime.date | None = None,
) -> list[Slot]:
    """The order's due slots with no check among ``checked`` (day, period) pairs."""
    done = {(day, period) for day, period in checked}
    return [s for s in due_slots(order, now=now, since=since) if (s.day, s.period) not in done]


def flag_since(now: datetime.datetime | None = None) -> datetime.date:
    """Missed checks are flagged for the cadre from yesterday on (so that the afternoon's
    missed check is still before them after midnight)."""
    return timezone.localdate(now or timezone.now()) - datetime.timedelta(days=1)


def missed_by_order(
    orders: QuerySet[QuarantineOrder], *, now: datetime.datetime | None = None
) -> dict[int, list[Slot]]:
    """For the active orders among ``orders``, the slots missed since ``flag_since``: order id →
    slots (only orders with one). Two queries whatever the number of orders."""
    now = now or timezone.now()
    since = flag_since(now)
    active_qs = orders.select_related(None).filter(
        status=OrderStatus.ACTIVE, starts_on__lte=timezone.localdate(now)
    )
    active = list(active_qs.only("pk", "status", "starts_on", "ends_on", "created_at", "closed_at"))
    if not active:
        return {}
    checked: dict[int, set[tuple[datetime.date, str]]] = defaultdict(set)
    rows = QuarantineCheck.objects.filter(
        order__in=active_qs.values("pk"), day__gte=since
    ).values_list("order_id", "day", "period")
    for order_id, day, period in rows:
        checked[order_id].add((day, period))
    result: dict[int, list[Slot]] = {}
    for order in active:
        missed = missed_slots(order, checked[order.pk], now=now, since=since)
        if missed:
            result[order.pk] = missed
    return result
