"""Many enterprise clerks putting workers on one trip at once: never over capacity, and one
person never on two trips of a day, even when both are added at the same moment.

On PostgreSQL, threads (each with its own connection) call the service at the same moment; the
locked trip row and the database's constraints hold. SQLite serialises writers itself, so there
the same service is driven one call after another and the same invariants are checked."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from dualtrack.checkpoints.services.registry import checkpoint_create
from dualtrack.core.tests.concurrency import race
from dualtrack.jobs.models import Rider, Trip
from dualtrack.jobs.services import transport

from .factories import id_number

SEATS = 5


CALLERS = 16


def _plan(actor, gate, enterprise, capacity: int) -> Trip:
    return transport.trip_plan(
        actor=actor,
        mode="bus",
        origin="于都",
        origin_code="360731",
        date=timezone.localdate(),
        capacity=capacity,
        cost="100",
        checkpoint=gate,
        enterprises=[enterprise],
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_trip_is_never_over_capacity_and_a_person_rides_once_a_day(
    personas, district, wg_enterprise, enterprise, ent_user
):
    gate = checkpoint_create(actor=personas.district_admin, area=district.village, name="接收点")
    trip = _plan(wg_enterprise, gate, enterprise, SEATS)

    def add(the_trip: Trip, n: int) -> Callable[[], None]:
        def call() -> None:
            transport.rider_add(
                actor=ent_user,
                trip=the_trip,
                enterprise=enterprise,
                name=f"乘客{n}",
                id_number=id_number(600 + n),
                mobile=f"1390013{n:04d}",
                temperature="36.5",
            )

        return call

    outcomes = race([add(trip, n) for n in range(CALLERS)])
    assert outcomes.count("ok") == SEATS
    assert set(outcomes) <= {"ok", "trip_full"}
    trip.refresh_from_db()
    assert trip.riders_count == Rider.objects.filter(trip=trip).count() == SEATS

    # The same person put on two trips of the same day at the same moment: one wins.
    a = _plan(wg_enterprise, gate, enterprise, 50)
    b = _plan(wg_enterprise, gate, enterprise, 50)
    outcomes = race([add(a, 99), add(b, 99)])
    assert sorted(outcomes) == ["ok", "one_trip_a_day"]
    assert Rider.objects.filter(trip__in=[a, b]).count() == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.riders_count + b.riders_count == 1
