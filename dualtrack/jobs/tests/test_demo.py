"""The demo's employment services: three fairs around today, postings, applications leading to
hires on the enterprises' rosters, introducers counted exactly; every figure from its rows."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from dualtrack.enterprises.models import Employee
from dualtrack.jobs.models import (
    Application,
    ApplicationStatus,
    Fair,
    FairState,
    Introducer,
    Posting,
)
from dualtrack.jobs.selectors import qualifying_hires

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]

DEMO_SCALE = "0.05"


def test_the_demo_recruits_into_the_rosters():
    today = timezone.localdate()
    states = [f.state_on(today) for f in Fair.objects.order_by("starts_on")]
    assert states == [FairState.ENDED, FairState.OPEN, FairState.OPEN]
    assert Posting.objects.count() == 18
    hired = Application.objects.filter(status=ApplicationStatus.HIRED).select_related("applicant")
    assert hired.exists()
    for application in hired:
        employee = Employee.objects.get(pk=application.employee_id)
        assert employee.enterprise_id == application.enterprise_id
        assert employee.new_hire and employee.hire_date == application.start_date
        assert application.start_date >= timezone.localdate(application.offered_at)
    for posting in Posting.objects.annotate(
        n=Count("applications", filter=Q(applications__status=ApplicationStatus.HIRED))
    ):
        assert posting.hired == posting.n <= posting.positions
    counts = [qualifying_hires(introducer_id=i.pk) for i in Introducer.objects.order_by("code")]
    assert counts[0] == min(24, hired.count())
    assert (
        sum(counts)
        == Application.objects.filter(
            status=ApplicationStatus.HIRED, introducer__isnull=False
        ).count()
    )


def test_the_demo_fetches_workers_by_chartered_trips():
    from dualtrack.checkpoints.models import Passage
    from dualtrack.jobs.models import Rider, Ticket, Trip, TripStatus

    assert Trip.objects.count() == 12
    assert set(Trip.objects.values_list("mode", flat=True)) == {"bus", "train", "flight"}
    arrived = Trip.objects.filter(status=TripStatus.ARRIVED)
    assert arrived.count() == 9
    for trip in Trip.objects.all():
        assert trip.riders_count == Rider.objects.filter(trip=trip).count() <= trip.capacity
    riders = Rider.objects.filter(trip__in=arrived)
    assert riders.filter(arrived_at__isnull=False, employee__isnull=False).count() == riders.count()
    gate = arrived.first().checkpoint
    assert (
        Passage.objects.filter(
            checkpoint=gate, id_digest__in=riders.values("id_number_digest")
        ).count()
        == riders.count()
    )
    assert Ticket.objects.exists()
    _trips_happen_on_their_own_day()


def _trips_happen_on_their_own_day():
    """Past trips boarded and arrived on their date, their riders' passages at the receiving
    checkpoint and their return on the rosters on that date; today's trip is boarding; later
    trips are planned. From the records, whatever the hour the demo was seeded at."""
    from dualtrack.checkpoints.models import DailyFigure, Passage
    from dualtrack.jobs.models import Rider, Trip, TripStatus

    local = timezone.localdate
    today = local()
    statuses = {}
    for trip in Trip.objects.select_related("checkpoint"):
        riders = list(Rider.objects.filter(trip=trip).select_related("employee"))
        statuses[trip.date - today] = trip.status
        if trip.date > today:
            assert trip.status == TripStatus.PLANNED
            assert all(r.boarded_at is None and r.arrived_at is None for r in riders)
            continue
        assert riders and all(local(r.boarded_at) == trip.date for r in riders)
        if trip.date == today:
            assert trip.status == TripStatus.BOARDING
            assert all(r.arrived_at is None for r in riders)
            continue
        assert trip.status == TripStatus.ARRIVED and local(trip.arrived_at) == trip.date
        assert all(r.arrived_at == trip.arrived_at > r.boarded_at for r in riders)
        assert all(r.employee.returned_on == trip.date for r in riders)
        passages = Passage.objects.filter(
            checkpoint=trip.checkpoint, id_digest__in=[r.id_number_digest for r in riders]
        )
        assert passages.count() == len(riders)
        assert {p.occurred_at for p in passages} == {trip.arrived_at}
        figure = DailyFigure.objects.get(checkpoint=trip.checkpoint, day=trip.date)
        assert figure.people_in >= len(riders)
    assert set(statuses.values()) == {
        TripStatus.ARRIVED,
        TripStatus.BOARDING,
        TripStatus.PLANNED,
    }
