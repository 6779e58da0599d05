"""The transport pages: planning, riders added with declarations (bad input shown on the form,
nothing written), boarding and arrival on the phone page, tickets; scoping of every route."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from dualtrack.checkpoints.models import Passage
from dualtrack.checkpoints.services.registry import checkpoint_create, checkpoint_staff_set
from dualtrack.core.models import User
from dualtrack.enterprises.models import EnterpriseMember
from dualtrack.enterprises.services.roster import clean_employee, employee_create
from dualtrack.jobs.models import Rider, Ticket, Trip

from .factories import id_number

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


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
def far_user(far_enterprise) -> User:
    user = User.objects.create_user(username="far_ent", password="x", display_name="far")
    EnterpriseMember.objects.create(user=user, enterprise=far_enterprise)
    return user


@pytest.fixture
def trip(wg_enterprise, gate, enterprise) -> Trip:
    response = _client(wg_enterprise).post(
        "/employment/transport/new/",
        {
            "mode": "bus",
            "origin": "江西省赣州市于都县",
            "origin_code": "360731",
            "date": timezone.localdate().isoformat(),
            "capacity": "1",
            "cost": "8000",
            "checkpoint": str(gate.pk),
            "credit_codes": enterprise.credit_code,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Trip.objects.get()


def _rider(n: int, **extra) -> dict:
    values = {
        "name": f"返岗{n}",
        "id_number": id_number(300 + n),
        "mobile": f"1390013{n:04d}",
        "temperature": "36.6",
    }
    values.update(extra)
    return values


def test_the_trip_on_the_pages(trip, ent_user, wg_enterprise, personas, far_user, gate):
    ent = _client(ent_user)
    url = f"/employment/transport/{trip.pk}/"
    assert ent.post(url, _rider(1)).status_code == 302
    full = ent.post(url, _rider(2))
    assert full.status_code == 409
    assert "该车次已满" in full.content.decode()
    assert Rider.objects.count() == 1
    rider = Rider.objects.get()

    assert _client(far_user).get(url).status_code == 404
    assert _client(personas.outsider).get(url).status_code == 404
    board = f"/employment/transport/riders/{rider.pk}/board/"
    assert ent.post(board).status_code == 403
    assert _client(far_user).post(board).status_code == 404
    assert _client(wg_enterprise).post(board).status_code == 302

    arrive = f"/employment/transport/{trip.pk}/arrive/"
    assert _client(wg_enterprise).post(arrive).status_code == 403
    gate_client = _client(personas.checkpoint_staff)
    page = gate_client.get(url).content.decode()
    assert 'data-testid="arrive"' in page
    assert gate_client.post(arrive).status_code == 302
    assert Passage.objects.filter(checkpoint=gate).count() == 1
    trip.refresh_from_db()
    assert trip.status == "arrived"


def test_a_bad_declaration_is_shown_and_nothing_written(trip, ent_user):
    response = _client(ent_user).post(
        f"/employment/transport/{trip.pk}/", _rider(1, risk_stay_code="999999")
    )
    assert response.status_code == 422
    assert "行政区划代码" in response.content.decode()
    assert not Rider.objects.exists()


def test_planning_page_is_the_groups(ent_user, personas, wg_enterprise):
    assert _client(ent_user).get("/employment/transport/new/").status_code == 403
    assert _client(personas.outsider).get("/employment/transport/new/").status_code == 404
    assert _client(wg_enterprise).get("/employment/transport/new/").status_code == 200
    assert _client(personas.outsider).get("/employment/transport/").status_code == 404
    assert _client(ent_user).get("/employment/transport/").status_code == 200


@pytest.fixture
def worker(ent_user, enterprise):
    return employee_create(
        actor=ent_user,
        enterprise=enterprise,
        data=clean_employee(name="自行返岗", id_number=id_number(400)),
    )


def _ticket(client, content=PNG, number=None):
    return client.post(
        "/employment/transport/tickets/",
        {
            "id_number": number or id_number(400),
            "route": "赣州—南昌",
            "travel_date": timezone.localdate().isoformat(),
            "fare": "86.50",
            "file": SimpleUploadedFile("t.png", content),
        },
    )


def test_tickets_on_the_page(ent_user, far_user, worker, wg_enterprise, personas, monkeypatch):
    ent = _client(ent_user)
    wrong = _ticket(ent, content=b"%!PS-Adobe not a pdf")
    assert wrong.status_code == 422
    assert "JPEG" in wrong.content.decode()
    from dualtrack.jobs.services import tickets

    monkeypatch.setattr(tickets, "TICKET_MAX_BYTES", 50)
    large = _ticket(ent)
    assert large.status_code == 422
    assert "车票文件超过" in large.content.decode()
    monkeypatch.undo()
    stranger = _ticket(ent, number=id_number(401))
    assert stranger.status_code == 422
    assert not Ticket.objects.exists()

    assert _ticket(ent).status_code == 302
    ticket = Ticket.objects.get()
    confirm = f"/employment/transport/tickets/{ticket.pk}/confirm/"
    assert _client(far_user).post(confirm).status_code == 404
    assert _client(wg_enterprise).post(confirm).status_code == 403
    assert ent.post(confirm).status_code == 302
    assert _client(far_user).get("/employment/transport/tickets/").status_code == 200
    assert (
        "自行返岗 ·" not in _client(far_user).get("/employment/transport/tickets/").content.decode()
    )
    assert (
        "自行返岗 ·"
        in _client(wg_enterprise).get("/employment/transport/tickets/").content.decode()
    )
    assert _client(personas.outsider).get("/employment/transport/tickets/").status_code == 404
