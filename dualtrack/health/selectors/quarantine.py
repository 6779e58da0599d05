"""Reads of quarantine: sites, orders, their checks and changes, occupancy, missed checks.

Every selector takes the user and reads through the access rule (``access.quarantine``): a
record out of sight is NotFound, as one that does not exist.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area, Resident, RoleGrant
from dualtrack.areas.scoping import ROLE_RULES, Permission, scope_for
from dualtrack.areas.selectors import resident_get_for
from dualtrack.core import sql
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import NotFound, ValidationFailed
from dualtrack.core.models import User
from dualtrack.core.validators import normalize_id_number
from dualtrack.enterprises.models import Employee
from dualtrack.enterprises.selectors import employee_get_for
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
    PersonKind,
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
    site = QuarantineSite.objects.filter(sites_q(user), pk=site_id).select_related("area").first()
    if site is None:
        raise NotFound()
    return site


def site_staff_of(*, site: QuarantineSite) -> list[User]:
    """The site's staff, by name."""
    ids = QuarantineSiteStaff.objects.filter(site=site).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("username"))


def staffed_sites_for(*, user: User) -> list[QuarantineSite]:
    """The sites the user is on the staff of and may record checks at."""
    return list(
        site_list_for(user=user, ability=Ability.RECORD_CHECKS).filter(
            pk__in=QuarantineSiteStaff.objects.filter(user=user).values("site_id")
        )
    )


def site_staff_ids(*, sites: list[QuarantineSite]) -> dict[int, list[int]]:
    """Site id → the ids of its staff, in one query."""
    result: dict[int, list[int]] = {}
    rows = QuarantineSiteStaff.objects.filter(site__in=sites).order_by("user_id")
    for site_id, user_id in rows.values_list("site_id", "user_id"):
        result.setdefault(site_id, []).append(user_id)
    return result


def site_staff_candidates(*, area: Area, site: QuarantineSite | None = None) -> QuerySet[User]:
    """Who may be put on the staff of a site in ``area``: active holders of a grant that lets
    them record checks over it, and whoever is on the site's staff already."""
    roles = [r for r, rule in ROLE_RULES.items() if STAFF_PERMISSION in rule.permissions]
    code = area.code
    prefixes = [code[:n] for n in range(2, len(code) + 1)]
    granted = RoleGrant.objects.filter(role__in=roles, area__code__in=prefixes).values("user_id")
    q = Q(pk__in=granted)
    if site is not None:
        q |= Q(pk__in=QuarantineSiteStaff.objects.filter(site=site).values("user_id"))
    return User.objects.filter(q, is_active=True).order_by("username")


def _not_found(field: str) -> NotFound:
    text = str(NotFound.default_message)
    return NotFound(text, errors=[{"field": field, "message": text}])


def site_staff_for_write(
    *,
    user: User,
    area: Area,
    user_ids: list[int],
    site: QuarantineSite | None = None,
    field: str = "staff_ids",
) -> list[User]:
    """The people a manager puts on a site's staff, each among the candidates; any other id
    (another town's, none at all) is not found."""
    wanted = set(user_ids)
    if not all(sql.is_key(pk) and not isinstance(pk, bool) for pk in wanted):
        raise _not_found(field)
    found = list(site_staff_candidates(area=area, site=site).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise _not_found(field)
    return sorted(found, key=lambda u: u.pk)


def area_for_write(*, user: User, area_id: int, field: str = "area_id") -> Area:
    """An area the user can see, for a site or an order; NotFound naming ``field`` otherwise
    (whether the role may manage quarantine there is the service's 403)."""
    area = Area.objects.filter(pk=area_id).first() if sql.is_key(area_id) else None
    if area is None or not scope_for(user).covers(area):
        raise _not_found(field)
    return area


def site_for_write(*, user: User, site_id: int, field: str = "site_id") -> QuarantineSite:
    """A site the user can see, as an order's destination; NotFound naming ``field``."""
    try:
        return site_get_for(user=user, site_id=site_id)
    except NotFound as exc:
        raise _not_found(field) from exc


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


def order_missed(*, order: QuarantineOrder, now: datetime.datetime | None = None) -> list[Slot]:
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


def missed_for_orders(
    *, orders: list[QuarantineOrder], now: datetime.datetime | None = None
) -> dict[int, list[Slot]]:
    """The slots missed since yesterday by each of ``orders`` (read already through the
    user's scope): a page of a list."""
    return missed_for_order_ids(order_ids=[o.pk for o in orders], now=now)


def missed_for_order_ids(
    *, order_ids: list[int], now: datetime.datetime | None = None
) -> dict[int, list[Slot]]:
    """As ``missed_for_orders``, given the orders' ids (read already through the user's scope)."""
    if not order_ids:
        return {}
    return missed_by_order(QuarantineOrder.objects.filter(pk__in=order_ids), now=now)


def checked_orders(*, orders: list[QuarantineOrder], day: datetime.date, period: str) -> set[int]:
    """Which of ``orders`` have their check of the slot (``day``, ``period``)."""
    return set(
        QuarantineCheck.objects.filter(
            order_id__in=[o.pk for o in orders], day=day, period=period
        ).values_list("order_id", flat=True)
    )


def missed_count_in_sight(*, user: User, now: datetime.datetime | None = None) -> int:
    """Active orders in the user's sight with a check missed since yesterday."""
    return len(missed_by_order(_orders(user), now=now))


def _under_quarantine_on(day: datetime.date) -> Q:
    """Orders whose person was under quarantine on ``day``: begun, not ended, and still active
    then (an order closed later was active that day)."""
    end_of_day = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    return Q(starts_on__lte=day, ends_on__gte=day) & (
        Q(status=OrderStatus.ACTIVE) | Q(closed_at__gte=end_of_day)
    )


def active_count_in_sight(
    *, user: User, on: datetime.date | None = None, area: Area | None = None
) -> int:
    """People under quarantine on ``on`` (today) within the user's sight (under ``area``)."""
    day = on or timezone.localdate()
    orders = QuarantineOrder.objects.filter(orders_q(user), _under_quarantine_on(day))
    if area is not None:
        orders = orders.filter(area__code__startswith=area.code)
    return orders.count()


def site_places_in_sight(*, user: User, day: datetime.date) -> tuple[int, int]:
    """(people at the sites in the user's sight on ``day``, their capacity)."""
    sites = QuarantineSite.objects.filter(sites_q(user), is_open=True)
    capacity = sum(sites.values_list("capacity", flat=True))
    if day == timezone.localdate():
        return sum(sites.values_list("occupied", flat=True)), capacity
    taken = QuarantineOrder.objects.filter(site__in=sites).filter(_under_quarantine_on(day))
    return taken.count(), capacity


def open_alert_for_order(*, user: User, alert_id: int) -> HealthAlert:
    """An open health alert the user may place under quarantine (the new-order form's
    ``?alert=``): in the areas where they manage quarantine; else NotFound."""
    scope = scope_for(user)
    alert = (
        HealthAlert.objects.filter(
            scope.areas_q("area__", Permission.MANAGE_QUARANTINE),
            handled_at__isnull=True,
            pk=alert_id,
        )
        .select_related("area", "resident")
        .first()
    )
    if alert is None:
        raise _not_found("alert_id")
    return alert


def export_rows_for(*, user: User, filters: OrderFilters | None = None) -> QuerySet[Any]:
    """The orders an export holds: those in sight where the user may see the numbers."""
    return order_list_for(user=user, filters=filters, ability=Ability.VIEW_PERSONAL_DATA)


def _resident_by_number(id_number: str) -> int:
    """The resident registered with this whole ID number (whose scope the caller checks next:
    one out of sight is NotFound, as one that does not exist)."""
    try:
        digest = lookup_digest(normalize_id_number(id_number))
    except ValidationError as exc:
        raise ValidationFailed.for_field("id_number", exc.messages[0]) from exc
    pk = Resident.objects.filter(id_number_digest=digest).values_list("pk", flat=True).first()
    if pk is None:
        raise ValidationFailed.for_field(
            "id_number",
            _("No resident of the district has this ID number: place them as a visitor."),
            code="no_such_resident",
        )
    return pk


# --- Who an order names -------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderPerson:
    """The person a new order names, read through the user's scope."""

    area: Area
    resident: Resident | None
    employee: Employee | None
    name: str
    id_number: str
    phone: str
    address: str


def order_person_for(
    *,
    user: User,
    person_kind: str,
    resident_id: int | None = None,
    employee_id: int | None = None,
    area_id: int | None = None,
    name: str = "",
    id_number: str = "",
    phone: str = "",
    address: str = "",
) -> OrderPerson:
    """A resident read through the areas' selectors, a worker of a roster through the
    enterprises', or a visitor typed in (in an area in sight); each out of sight is NotFound,
    as one that does not exist."""
    area = area_for_write(user=user, area_id=area_id) if area_id else None
    if person_kind == PersonKind.RESIDENT:
        if not resident_id and id_number.strip():
            resident_id = _resident_by_number(id_number)
        if not resident_id:
            raise ValidationFailed.for_field("resident_id", _("Choose the resident."))
        resident = resident_get_for(user=user, resident_id=resident_id)
        return OrderPerson(
            area or resident.area,
            resident,
            None,
            resident.name,
            resident.id_number,
            resident.phone,
            address or resident.household.address,
        )
    if person_kind == PersonKind.WORKER:
        if not employee_id:
            raise ValidationFailed.for_field("employee_id", _("Choose the worker."))
        employee = employee_get_for(user=user, employee_id=employee_id)
        return OrderPerson(
            area or employee.enterprise.area,
            None,
            employee,
            employee.name,
            employee.id_number or id_number,
            employee.phone or phone,
            address,
        )
    if area is None:
        raise ValidationFailed.for_field("area_id", _("Choose the village answerable."))
    return OrderPerson(area, None, None, name, id_number, phone, address)
