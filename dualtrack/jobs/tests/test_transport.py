"""Point-to-point transport and self-travel tickets: capacity, one trip a day, the arrival's
passages and roster rows, tickets refused by content and size; nothing written when refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualtrack.checkpoints.models import Passage
from dualtrack.checkpoints.services.registry import checkpoint_create, checkpoint_staff_set
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.enterprises.models import Employee
from dualtrack.jobs.models import Rider, Ticket, Trip, TripStatus
from dualtrack.jobs.services import tickets, transport
from dualtrack.jobs.tests.factories import id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def gate(district, personas):
    checkpoint = checkpoint_create(
        actor=personas.district_admin, area=district.village, name="高新区接收点"
    )
    checkpoint_staff_set(
        actor=personas.district_admin, checkpoint=checkpoint, users=[personas.checkpoint_staff]
    )
    return checkpoint


@pytest.fixture
def trip(wg_enterprise, gate, enterprise, far_enterprise) -> Trip:
    return transport.trip_plan(
        actor=wg_enterprise,
        mode="bus",
        origin="江西省赣州市于都县",
        origin_code="360731",
        date=timezone.localdate(),
        capacity=2,
        cost="12000.00",
        checkpoint=gate,
        enterprises=[enterprise, far_enterprise],
    )


def add(ent_user, trip, enterprise, n=1, **extra):
    values = {
        "name": f"返岗{n}",
        "id_number": id_number(n + 100),
        "mobile": f"1390013{n:04d}",
        "temperature": "36.5",
    }
    values.update(extra)
    return transport.rider_add(actor=ent_user, trip=trip, enterprise=enterprise, **values)


def test_over_capacity_is_refused_and_writes_nothing(trip, ent_user, enterprise):
    add(ent_user, trip, enterprise, 1)
    add(ent_user, trip, enterprise, 2)
    with pytest.raises(Conflict) as caught:
        add(ent_user, trip, enterprise, 3)
    assert "满" in str(caught.value.message) or "full" in str(caught.value.message)
    assert Rider.objects.count() == 2
    trip.refresh_from_db()
    assert trip.riders_count == 2


def test_one_trip_a_day(trip, wg_enterprise, gate, enterprise, ent_user):
    other = transport.trip_plan(
        actor=wg_enterprise,
        mode="train",
        origin="湖北省武汉市",
        origin_code="420100",
        date=trip.date,
        capacity=40,
        cost="5000",
        checkpoint=gate,
        enterprises=[enterprise],
    )
    add(ent_user, trip, enterprise, 1)
    with pytest.raises(ValidationFailed) as caught:
        add(ent_user, other, enterprise, 1)
    assert caught.value.errors[0]["field"] == "id_number"
    other.refresh_from_db()
    assert other.riders_count == 0
    assert Rider.objects.count() == 1


def test_only_the_enterprise_puts_its_workers_on(trip, wg_enterprise, enterprise, personas):
    with pytest.raises(PermissionDenied):
        add(wg_enterprise, trip, enterprise, 1)
    with pytest.raises(NotFound):
        add(personas.outsider, trip, enterprise, 1)


def test_planning_needs_the_group(ent_user, gate, enterprise, personas):
    kwargs = {
        "mode": "bus",
        "origin": "于都",
        "origin_code": "360731",
        "date": timezone.localdate(),
        "capacity": 30,
        "cost": "1",
        "checkpoint": gate,
        "enterprises": [enterprise],
    }
    with pytest.raises(PermissionDenied):
        transport.trip_plan(actor=ent_user, **kwargs)
    with pytest.raises(NotFound):
        transport.trip_plan(actor=personas.outsider, **kwargs)
    assert not Trip.objects.exists()


def test_arrival_registers_passages_and_rosters(
    trip, ent_user, enterprise, wg_enterprise, personas, risk_area
):
    plain = add(ent_user, trip, enterprise, 1)
    risky = add(
        ent_user,
        trip,
        enterprise,
        2,
        risk_stay_code="420100",
        risk_stay_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    for rider in (plain, risky):
        transport.rider_board(actor=wg_enterprise, rider=rider)
    with pytest.raises(PermissionDenied):
        transport.trip_arrive(actor=wg_enterprise, trip=trip)
    assert not Passage.objects.exists()
    transport.trip_arrive(actor=personas.checkpoint_staff, trip=trip)
    trip.refresh_from_db()
    assert trip.status == TripStatus.ARRIVED
    passages = Passage.objects.filter(checkpoint=trip.checkpoint)
    assert passages.count() == 2
    rows = {e.name: e for e in Employee.objects.filter(enterprise=enterprise)}
    assert set(rows) == {"返岗1", "返岗2"}
    assert rows["返岗2"].quarantine_needed
    assert not rows["返岗1"].quarantine_needed
    assert Rider.objects.filter(arrived_at__isnull=False).count() == 2


def test_boarding_and_arrival_recorded_after_the_fact_keep_their_time(
    trip, ent_user, enterprise, wg_enterprise, personas
):
    from dualtrack.checkpoints.models import DailyFigure

    rider = add(ent_user, trip, enterprise, 1)
    now = timezone.now()
    with pytest.raises(ValidationFailed):
        transport.rider_board(
            actor=wg_enterprise, rider=rider, at=now + datetime.timedelta(hours=1)
        )
    boarded = now - datetime.timedelta(hours=3)
    transport.rider_board(actor=wg_enterprise, rider=rider, at=boarded)
    with pytest.raises(ValidationFailed):  # before the rider boarded
        transport.trip_arrive(
            actor=personas.checkpoint_staff, trip=trip, at=boarded - datetime.timedelta(hours=1)
        )
    assert not Passage.objects.exists() and not Employee.objects.exists()
    arrived = now - datetime.timedelta(hours=1)
    transport.trip_arrive(actor=personas.checkpoint_staff, trip=trip, at=arrived)
    rider.refresh_from_db()
    assert rider.boarded_at == boarded and rider.arrived_at == arrived
    passage = Passage.objects.get(checkpoint=trip.checkpoint)
    assert passage.occurred_at == arrived
    assert rider.employee.returned_on == timezone.localdate(arrived)
    day = DailyFigure.objects.get(checkpoint=trip.checkpoint, day=timezone.localdate(arrived))
    assert day.people_in == 1


def test_the_arrival_gives_the_gate_the_roster_right_for_the_trips_enterprises_only(
    trip, gate, enterprise, far_enterprise, wg_enterprise, personas, district
):
    from dualtrack.jobs.transport_access import roster_return_right

    right = roster_return_right(personas.checkpoint_staff, trip)
    assert right.user_id == personas.checkpoint_staff.pk
    assert right.enterprise_ids == {enterprise.pk, far_enterprise.pk}
    with pytest.raises(PermissionDenied):  # the group plans and boards; the gate arrives
        roster_return_right(wg_enterprise, trip)
    with pytest.raises(NotFound):
        roster_return_right(personas.outsider, trip)


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


@pytest.fixture
def worker(ent_user, enterprise) -> Employee:
    from dualtrack.enterprises.services.roster import clean_employee, employee_create

    return employee_create(
        actor=ent_user,
        enterprise=enterprise,
        data=clean_employee(name="自行返岗", id_number=id_number(7)),
    )


def upload(actor, worker, content=PNG, name="ticket.png"):
    return tickets.ticket_upload(
        actor=actor,
        employee=worker,
        route="赣州—南昌",
        travel_date=timezone.localdate(),
        fare="86.50",
        file=SimpleUploadedFile(name, content),
    )


def test_ticket_uploaded_and_confirmed(ent_user, worker):
    ticket = upload(ent_user, worker)
    assert ticket.content_type == "image/png"
    ticket = tickets.ticket_confirm(actor=ent_user, ticket=ticket)
    assert ticket.confirmed_at is not None


def test_ticket_by_content_not_name(ent_user, worker):
    with pytest.raises(ValidationFailed) as caught:
        upload(ent_user, worker, content=b"MZ\x90\0 not an image", name="ticket.png")
    assert caught.value.errors[0]["field"] == "file"
    assert not Ticket.objects.exists()


def test_ticket_too_large(ent_user, worker, monkeypatch):
    monkeypatch.setattr(tickets, "TICKET_MAX_BYTES", 50)
    with pytest.raises(ValidationFailed):
        upload(ent_user, worker)
    assert not Ticket.objects.exists()


def test_ticket_scoping(ent_user, worker, wg_enterprise, personas):
    with pytest.raises(PermissionDenied):
        upload(wg_enterprise, worker)
    with pytest.raises(NotFound):
        upload(personas.outsider, worker)
