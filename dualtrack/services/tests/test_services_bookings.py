"""Appointments: a slot never over its capacity (also when many book its last places at once),
moving and cancelling give the place back, a day's queue in order."""

from __future__ import annotations

import pytest

from dualtrack.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from dualtrack.core.tests.concurrency import race
from dualtrack.services import selectors
from dualtrack.services.models import Booking, BookingStatus, Slot
from dualtrack.services.services import bookings

from . import factories


@pytest.mark.django_db
def test_a_full_slot_refuses_and_writes_nothing(desk):
    slot = factories.slot(desk.clerk, desk.counter, capacity=2)
    bookings.booking_make(slot=slot, name="甲", mobile="13800138001")
    bookings.booking_make(slot=slot, name="乙", mobile="13800138002")
    with pytest.raises(Conflict) as caught:
        bookings.booking_make(slot=slot, name="丙", mobile="13800138003")
    assert caught.value.code == "slot_full"
    slot.refresh_from_db()
    assert slot.booked == 2
    assert Booking.objects.count() == 2


@pytest.mark.django_db
def test_one_mobile_books_a_slot_once(desk):
    slot = factories.slot(desk.clerk, desk.counter)
    bookings.booking_make(slot=slot, name="甲", mobile="13800138001")
    with pytest.raises(Conflict):
        bookings.booking_make(slot=slot, name="甲", mobile="13800138001")
    slot.refresh_from_db()
    assert slot.booked == 1


@pytest.mark.django_db
def test_reschedule_and_cancel_give_the_place_back(desk):
    first = factories.slot(desk.clerk, desk.counter, capacity=1)
    second = factories.slot(desk.clerk, desk.counter, capacity=1, hour=10)
    booking, token = bookings.booking_make(slot=first, name="甲", mobile="13800138001")
    moved = bookings.booking_reschedule(booking=bookings.booking_for_link(token), slot=second)
    assert moved.slot == second
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.booked, second.booked) == (0, 1)
    other, _token = bookings.booking_make(slot=first, name="乙", mobile="13800138002")
    with pytest.raises(Conflict):  # the second slot is full: the booking stays where it is
        bookings.booking_reschedule(booking=other, slot=second)
    other.refresh_from_db()
    assert other.slot == first
    bookings.booking_cancel(booking=bookings.booking_for_link(token))
    second.refresh_from_db()
    assert second.booked == 0
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    with pytest.raises(Conflict):
        bookings.booking_cancel(booking=booking)
    queue = selectors.queue_of(counter=desk.counter, day=first.day)
    assert [b.name for b in queue] == ["乙"]


@pytest.mark.django_db
def test_slots_are_opened_by_the_counters_department(personas, desk):
    with pytest.raises(NotFound):
        factories.slot(desk.other_clerk, desk.counter)
    with pytest.raises(PermissionDenied):
        factories.slot(personas.commander, desk.counter)
    with pytest.raises(DomainError):
        factories.slot(desk.clerk, desk.counter, capacity=0)
    assert not Slot.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_booking_the_last_places_at_once_never_overfill(desk):
    """Twelve people book a slot of three places at the same moment: three get one."""
    slot = factories.slot(desk.clerk, desk.counter, capacity=3)
    calls = [
        (lambda n=n: bookings.booking_make(slot=slot, name=f"人{n}", mobile=f"138001380{n:02d}"))
        for n in range(12)
    ]
    outcomes = race(calls)
    assert sorted(outcomes) == ["ok"] * 3 + ["slot_full"] * 9
    slot.refresh_from_db()
    assert slot.booked == 3
    assert Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count() == 3
