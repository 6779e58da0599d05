"""The government services' reads: the public catalogue and slots, requests in the user's
sight (a bounded keyset page), a request with its history, a counter's queue of a day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.services import access
from dualtrack.services.models import (
    OPEN_STATUSES,
    Booking,
    BookingStatus,
    Counter,
    Department,
    Matter,
    RequestEvent,
    ServiceRequest,
    ServiceRequestStatus,
    Slot,
)

PAGE_SIZE = 50
SLOT_DAYS = 14


# The public catalogue ------------------------------------------------------------------------


def matter_list() -> QuerySet[Matter]:
    """The active matters of the catalogue (public)."""
    return Matter.objects.filter(active=True).select_related("department")


def matter_get(*, matter_id: int) -> Matter:
    """An active matter; an unknown one is not found."""
    matter = matter_list().filter(pk=matter_id).first()
    if matter is None:
        raise NotFound()
    return matter


def counter_list() -> QuerySet[Counter]:
    return Counter.objects.select_related("department")


def counter_get(*, counter_id: int) -> Counter:
    counter = counter_list().filter(pk=counter_id).first()
    if counter is None:
        raise NotFound()
    return counter


def open_slots(*, counter: Counter) -> list[Slot]:
    """The counter's slots of the next two weeks not yet begun (public), free or full."""
    now = timezone.localtime()
    slots = Slot.objects.filter(
        counter=counter,
        day__gte=now.date(),
        day__lte=now.date() + datetime.timedelta(days=SLOT_DAYS),
    ).select_related("counter")
    return [s for s in slots if s.day > now.date() or s.starts_at > now.time()]


def slot_get(*, slot_id: int) -> Slot:
    slot = Slot.objects.select_related("counter__department__area").filter(pk=slot_id).first()
    if slot is None:
        raise NotFound()
    return slot


# Requests -------------------------------------------------------------------------------------


@dataclass
class RequestPage:
    rows: list[ServiceRequest]
    next_after: int | None


def request_page_for(
    *, user: User, status: str = "", matter_id: int | None = None, after: int = 0
) -> RequestPage:
    """Requests in sight, newest first, one bounded page after the id ``after``."""
    qs = access.requests_visible(user).select_related("matter__department", "enterprise")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in ServiceRequestStatus.values:
        qs = qs.filter(status=status)
    if matter_id is not None:
        qs = qs.filter(matter_id=matter_id)
    if after:
        qs = qs.filter(pk__lt=after)
    rows = list(qs.order_by("-pk")[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return RequestPage(rows, rows[-1].pk if more and rows else None)


def request_get_for(*, user: User, request_id: int) -> ServiceRequest:
    """A request in sight; out of sight exactly as missing."""
    request = (
        access.requests_visible(user)
        .select_related("matter__department__area", "enterprise")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound()
    return request


def request_history(*, request: ServiceRequest) -> list[RequestEvent]:
    """The request's steps, oldest first (the caller has read the request through its scope
    or its personal link)."""
    return list(request.events.select_related("actor"))


def requests_for_export(*, user: User, limit: int) -> QuerySet[ServiceRequest]:
    return (
        access.requests_visible(user)
        .select_related("matter__department", "enterprise")
        .order_by("-pk")[:limit]
    )


def matters_handled(*, user: User) -> QuerySet[Matter]:
    """The matters whose requests the user may record (a phone call)."""
    return matter_list().filter(department__in=_handled(user))


def _handled(user: User) -> QuerySet[Department, Any]:
    return Department.objects.filter(access.departments_handled_q(user)).values("pk")


# Counters' queues -----------------------------------------------------------------------------


def counters_for(*, user: User) -> QuerySet[Counter]:
    if enterprise_of_user(user) is not None:
        return Counter.objects.none()
    return access.counters_in_sight(user).select_related("department")


def counter_get_for(*, user: User, counter_id: int) -> Counter:
    counter = counters_for(user=user).filter(pk=counter_id).first()
    if counter is None:
        raise NotFound()
    return counter


def queue_of(*, counter: Counter, day: datetime.date) -> list[Booking]:
    """A day's queue at the counter: the places booked, by slot and then by booking time."""
    return list(
        Booking.objects.filter(slot__counter=counter, slot__day=day, status=BookingStatus.BOOKED)
        .select_related("slot", "matter")
        .order_by("slot__starts_at", "created_at", "id")[:1000]
    )


def slots_of_day(*, counter: Counter, day: datetime.date) -> list[Slot]:
    return list(Slot.objects.filter(counter=counter, day=day))
