"""Every representation of the transport access rule gives the same answer on the same rows:
for each persona, the queryset filter, the per-row check, the selector, the API (list and
detail) and the page agree on which trips, riders and tickets they see; the per-row check and
the services agree on who boards and who checks the arrival off."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from dualtrack.checkpoints.services.registry import checkpoint_create, checkpoint_staff_set
from dualtrack.core.errors import DomainError
from dualtrack.core.tests.helpers import cast, tried
from dualtrack.enterprises.services.roster import clean_employee, employee_create
from dualtrack.jobs import transport_access as access
from dualtrack.jobs import transport_selectors as selectors
from dualtrack.jobs.services import tickets, transport

from .factories import id_number

pytestmark = pytest.mark.django_db

API = "/api/employment"


@pytest.fixture
def setting(personas, district, wg_enterprise, enterprise, far_enterprise, ent_user, supervisor):
    gate = checkpoint_create(actor=personas.district_admin, area=district.village, name="接收点")
    checkpoint_staff_set(
        actor=personas.district_admin, checkpoint=gate, users=[personas.checkpoint_staff]
    )
    far_gate = checkpoint_create(
        actor=personas.district_admin, area=district.far_village, name="远处"
    )

    def plan(checkpoint, enterprises):
        return transport.trip_plan(
            actor=wg_enterprise,
            mode="bus",
            origin="于都",
            origin_code="360731",
            date=timezone.localdate(),
            capacity=5,
            cost="100",
            checkpoint=checkpoint,
            enterprises=enterprises,
        )

    near = plan(gate, [enterprise, far_enterprise])
    far = plan(far_gate, [far_enterprise])
    from dualtrack.core.models import User
    from dualtrack.enterprises.models import EnterpriseMember

    far_user = User.objects.create_user(username="far_ent", password="x", display_name="far")
    EnterpriseMember.objects.create(user=far_user, enterprise=far_enterprise)

    def rider(user, trip, ent, n):
        return transport.rider_add(
            actor=user,
            trip=trip,
            enterprise=ent,
            name=f"乘客{n}",
            id_number=id_number(500 + n),
            mobile=f"1390013{n:04d}",
            temperature="36.5",
        )

    riders = [rider(ent_user, near, enterprise, 1), rider(far_user, near, far_enterprise, 2)]
    riders.append(rider(far_user, far, far_enterprise, 3))
    worker = employee_create(
        actor=ent_user,
        enterprise=enterprise,
        data=clean_employee(name="工", id_number=id_number(9)),
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = tickets.ticket_upload(
        actor=ent_user,
        employee=worker,
        route="赣州—南昌",
        travel_date=timezone.localdate(),
        fare="50",
        file=SimpleUploadedFile("t.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 10),
    )
    everyone = cast(
        personas,
        group=wg_enterprise,
        supervisor=supervisor,
        enterprise=ent_user,
        far_enterprise=far_user,
    )
    return everyone, [near, far], riders, ticket


def test_who_sees_trips_riders_and_tickets(setting):
    everyone, trips, riders, ticket = setting
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        listed = {t["id"] for t in client.get(f"{API}/trips").json()}
        for trip in trips:
            by_query = access.trips_visible(user).filter(pk=trip.pk).exists()
            by_row = access.may_see_trip(user, trip)
            by_selector = tried(lambda t=trip, u=user: selectors.trip_get_for(user=u, trip_id=t.pk))
            by_api = client.get(f"{API}/trips/{trip.pk}").status_code == 200
            by_page = client.get(f"/employment/transport/{trip.pk}/").status_code == 200
            answers = {by_query, by_row, by_selector, by_api, by_page, trip.pk in listed}
            assert len(answers) == 1, (name, trip.pk, answers)
        for rider in riders:
            by_query = access.riders_visible(user).filter(pk=rider.pk).exists()
            by_row = access.may_see_rider(user, rider)
            in_detail = False
            detail = client.get(f"{API}/trips/{rider.trip_id}")
            if detail.status_code == 200:
                in_detail = rider.pk in {r["id"] for r in detail.json()["riders"]}
            assert by_query == by_row == in_detail, (name, rider.pk)
        by_query = access.tickets_visible(user).filter(pk=ticket.pk).exists()
        by_row = access.may_see_ticket(user, ticket)
        listed_tickets = client.get(f"{API}/tickets")
        by_api = listed_tickets.status_code == 200 and ticket.pk in {
            t["id"] for t in listed_tickets.json()
        }
        assert by_query == by_row == by_api, (name, "ticket")


def test_who_boards_and_who_arrives(setting):
    everyone, trips, riders, _ticket = setting
    for name, user in everyone.items():
        rider = riders[0]
        may = access.may_see_rider(user, rider) and access.may_manage_trips(user)
        done = tried(lambda u=user, r=rider: transport.rider_board(actor=u, rider=r))
        assert may == done, (name, "board")
        trip = trips[0]
        may_arrive = access.may_see_trip(user, trip) and access.may_arrive(user, trip)
        try:
            access.require_arrive_trip(user, trip)
            required = True
        except DomainError:
            required = False
        assert may_arrive == required, (name, "arrive")
