"""Reads of quarantine: sites, orders, their checks and changes, occupancy, missed checks.

Every selector takes the user and reads through the access rule (``access.quarantine``): a
record out of sight is NotFound, as one that does not exist.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from dualtrack.areas.models import Area, RoleGrant
from dualtrack.areas.scoping import ROLE_RULES, Permission, scope_for
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.health.access.quarantine import (
    STAFF_PERMISSION,
    Ability,
    answered_orders_q,
    orders_q,
    sites_q,
)
from dualtrack.health.models import (
    HealthAlert,
    OrderChange,
    OrderStatus,
    QuarantineCheck,
    QuarantineOrder,
    QuarantineSite,
    QuarantineSiteStaff,
)
from dualtrack.health.selectors.quarantine_slots import Slot, missed_by_order, missed_slots

MAX_PAGE = 500


# --- Sites ------------------------------------------------------------------------------------


def site_list_for(
    *, user: User, ability: Ability = Ability.SEE, open_only: bool = False
) -> QuerySet[QuarantineSite]:
    """The sites where the user has ``ability``, by name."""
    qs = QuarantineSite.objects.filter(sites_q(user, ability)).select_related("area")
    if open_only:
        qs = qs.filter(is_open=True)
    return qs.order_by("name", "id")


def site_get_for(*, user: User, site_id: int) -> QuarantineSite:
    """One site in the user's sight, or NotFound."""
    site = (
        QuarantineSite.objects.filter(sites_q(user), pk=site_id).select_related("area").first()
    )
    if site is None:
        raise NotFound()
    return site


def site_staff_of(*, site: QuarantineSite) -> list[User]:
    """The site's staff, by name."""
    ids = QuarantineSiteStaff.objects.filter(site=site).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("username"))


def site_staff_candidates(*, site: QuarantineSite) -> QuerySet[User]:
    """Who may be put on the site's staff: active holders of a grant that lets them record
    checks over the site's area, and whoever is on it already."""
    roles = [r for r, rule in ROLE_RULES.items() if STAFF_PERMISSION in rule.permissions]
    code = site.area.code
    prefixes = [code[:n] for n in range(2, len(code) + 1)]
    granted = RoleGrant.objects.filter(role__in=roles, area__code__in=prefixes).values("user_id")
    current = QuarantineSiteStaff.objects.filter(site=site).values("user_id")
    return User.objects.filter(Q(pk__in=granted) | Q(pk__in=current), is_active=True).order_by(
        "username"
    )


@dataclass(frozen=True)
class OccupancyDay:
    day: datetime.date
    occupied: int
    capacity: int


def site_occupancy(
    *, site: QuarantineSite, since: datetime.date, until: datetime.date
) -> list[OccupancyDay]:
    """People at the site on each day from ``since`` to ``until``, derived from the periods of
    the orders placed there: from the first day to the day the order closed (or, while it is
    active, its last day; days ahead are the places already promised)."""
    rows = QuarantineOrder.objects.filter(
        site=site, starts_on__lte=until, ends_on__gte=since
    ).values_list("starts_on", "ends_on", "status", "closed_at")
    counts = dict.fromkeys(range((until - since).days + 1), 0)
    for starts_on, ends_on, status, closed_at in rows:
        last = ends_on
        if status != OrderStatus.ACTIVE and closed_at is not None:
            last = min(ends_on, timezone.localdate(closed_at))
        first_index = max((starts_on - since).days, 0)
        last_index = min((last - since).days, len(counts) - 1)
        for index in range(first_index, last_index + 1):
            counts[index] += 1
    return [
        OccupancyDay(since + datetime.timedelta(days=i), n, site.capacity)
        for i, n in counts.items()
    ]


# --- Orders -----------------------------------------------------------------------------------


def _orders(user: User, ability: Ability = Ability.SEE) -> QuerySet[QuarantineOrder]:
    return QuarantineOrder.objects.filter(orders_q(user, ability)).select_related(
        "area", "site", "site__area"
    )


@dataclass(frozen=True)
class OrderFilters:
    status: str = ""
    kind: str = ""
    site_id: int | None = None
    area_id: int | None = None
    ending_within: int | None = None  # days: active orders ending by today + n
    missed: bool = False  # active orders with a missed check since yesterday
    q: str = ""  # a name, or its beginning


def order_list_for(
    *,
    user: User,
    filters: OrderFilters | None = None,
    ability: Ability = Ability.SEE,
    now: datetime.datetime | None = None,
) -> QuerySet[QuarantineOrder]:
    """Orders in the user's sight, newest first, narrowed by ``filters``."""
    f = filters or OrderFilters()
    qs = _orders(user, ability)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.site_id is not None:
        qs = qs.filter(site_id=f.site_id)
    if f.area_id is not None:
        qs = qs.filter(_under(f.area_id))
    if f.ending_within is not None:
        last = timezone.localdate(now) + datetime.timedelta(days=f.ending_within)
        qs = qs.filter(status=OrderStatus.ACTIVE, ends_on__lte=last)
    if f.q:
        qs = qs.filter(name__startswith=f.q.strip())
    if f.missed:
        qs = qs.filter(pk__in=sorted(missed_by_order(qs, now=now)))
    return qs.order_by("-starts_on", "-id")


def _under(area_id: int) -> Q:
    code = Area.objects.filter(pk=area_id).values_list("code", flat=True).first()
    return Q(area__code__startswith=code) if code else Q(pk__in=[])


def order_get_for(*, user: User, order_id: int) -> QuarantineOrder:
    """One order in the user's sight, or NotFound."""
    order = _orders(user).filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    return order


def order_for_token(*, token: str) -> QuarantineOrder | None:
    """The order of a personal check-in link, if the link is live (not revoked)."""
    if not token or len(token) > 64:
        return None
    return (
        QuarantineOrder.objects.filter(check_token=token, check_token_revoked=False)
        .select_related("area", "site")
        .first()
    )


def checks_of(*, order: QuarantineOrder) -> QuerySet[QuarantineCheck]:
    """The order's checks, newest slot first (the caller read the order through its scope)."""
    return order.checks.select_related("recorded_by").order_by("-day", "-period")


def changes_of(*, order: QuarantineOrder) -> QuerySet[OrderChange]:
    """The order's changes, newest first."""
    return order.changes.select_related("changed_by").order_by("-changed_at", "-id")


def order_missed(
    *, order: QuarantineOrder, now: datetime.datetime | None = None
) -> list[Slot]:
    """Every slot of the order's period missed so far, oldest first."""
    checked = order.checks.values_list("day", "period")
    return missed_slots(order, checked, now=now)


def missed_flagged_for(
    *, user: User, now: datetime.datetime | None = None
) -> list[tuple[QuarantineOrder, list[Slot]]]:
    """The active orders the user answers for with a check missed since yesterday."""
    answered = answered_orders_q(user)
    if answered is None:
        return []
    qs = _orders(user, Ability.SEE).filter(answered)
    missed = missed_by_order(qs, now=now)
    if not missed:
        return []
    orders = qs.filter(pk__in=sorted(missed)).order_by("name", "id")
    return [(order, missed[order.pk]) for order in orders]


def missed_count_in_sight(*, user: User, now: datetime.datetime | None = None) -> int:
    """Active orders in the user's sight with a check missed since yesterday."""
    return len(missed_by_order(_orders(user), now=now))


def active_count_in_sight(*, user: User, on: datetime.date | None = None) -> int:
    """People under quarantine on ``on`` (today) within the user's sight."""
    day = on or timezone.localdate()
    return (
        QuarantineOrder.objects.filter(orders_q(user), starts_on__lte=day, ends_on__gte=day)
        .filter(status=OrderStatus.ACTIVE)
        .count()
    )


def open_alert_for_order(*, user: User, alert_id: int) -> HealthAlert:
    """An open health alert the user may place under quarantine (the new-order form's
    ``?alert=``): in the areas where they manage quarantine; else NotFound."""
    scope = scope_for(user)
    alert = (
        HealthAlert.objects.filter(
            scope.areas_q("area__", Permission.MANAGE_QUARANTINE), pk=alert_id
        )
        .select_related("area", "resident")
        .first()
    )
    if alert is None:
        raise NotFound()
    return alert


def export_rows_for(*, user: User, filters: OrderFilters | None = None) -> QuerySet[Any]:
    """The orders an export holds: those in sight where the user may see the numbers."""
    return order_list_for(user=user, filters=filters, ability=Ability.VIEW_PERSONAL_DATA)
