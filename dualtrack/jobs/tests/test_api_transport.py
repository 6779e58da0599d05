"""The transport and ticket API: scoping (in scope 200, out of scope 404 with the same body as a
missing id, a role without the action 403), bad input refused with a Chinese message and
nothing written, the arrival's passages at the receiving checkpoint."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from dualtrack.checkpoints.models import Passage
from dualtrack.checkpoints.services.registry import checkpoint_create, checkpoint_staff_set
from dualtrack.core.models import User
from dualtrack.core.tests.helpers import comparable_problem
from dualtrack.enterprises.models import EnterpriseMember
from dualtrack.enterprises.services.roster import clean_employee, employee_create
from dualtrack.jobs.models import Rider, Ticket

from .factories import id_number

pytestmark = pytest.mark.django_db

API = "/api/employment"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response) -> dict:
    return comparable_problem(response)


def _post(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


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
def trip_id(wg_enterprise, gate, enterprise) -> int:
    response = _post(
        _client(wg_enterprise),
        f"{API}/trips",
        {
            "mode": "bus",
            "origin": "江西省赣州市于都县",
            "origin_code": "360731",
            "date": timezone.localdate().isoformat(),
            "capacity": 1,
            "cost": "8000.00",
            "checkpoint_id": gate.pk,
            "enterprise_ids": [enterprise.pk],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _rider(n: int) -> dict:
    return {
        "name": f"返岗{n}",
        "id_number": id_number(200 + n),
        "mobile": f"1390013{n:04d}",
        "temperature": "36.6",
    }


def test_planning_is_the_groups(ent_user, gate, enterprise, personas):
    body = {
        "mode": "bus",
        "origin": "于都",
        "origin_code": "360731",
        "date": timezone.localdate().isoformat(),
        "capacity": 10,
        "cost": "1",
        "checkpoint_id": gate.pk,
        "enterprise_ids": [enterprise.pk],
    }
    assert _post(_client(ent_user), f"{API}/trips", body).status_code == 403
    assert _post(_client(personas.outsider), f"{API}/trips", body).status_code == 404


def test_the_trip_flow_through_the_api(
    trip_id, ent_user, far_user, wg_enterprise, personas, gate, enterprise
):
    ent = _client(ent_user)
    added = _post(ent, f"{API}/trips/{trip_id}/riders", _rider(1))
    assert added.status_code == 201, added.content
    assert "*" in added.json()["id_number_masked"]

    # Over capacity: a clear message, nothing written.
    full = _post(ent, f"{API}/trips/{trip_id}/riders", _rider(2))
    assert full.status_code == 409
    assert "已满" in full.json()["detail"]
    assert Rider.objects.count() == 1

    # The enterprise sees its trip and riders; another enterprise: 404 as a missing id.
    assert ent.get(f"{API}/trips/{trip_id}").json()["riders"][0]["name"] == "返岗1"
    far = _client(far_user)
    missing = far.get(f"{API}/trips/999999")
    hidden = far.get(f"{API}/trips/{trip_id}")
    assert hidden.status_code == missing.status_code == 404
    assert _body(hidden) == _body(missing)
    assert far.get(f"{API}/trips").json() == []
    assert _post(far, f"{API}/trips/{trip_id}/riders", _rider(3)).status_code == 404

    rider_id = added.json()["id"]
    # Boarding is the group's: the enterprise is in sight of the rider but may not (403).
    assert _post(ent, f"{API}/riders/{rider_id}/board").status_code == 403
    assert _post(far, f"{API}/riders/{rider_id}/board").status_code == 404
    assert _post(_client(wg_enterprise), f"{API}/riders/{rider_id}/board").status_code == 200

    # Arrival is the receiving checkpoint's: the group may not register passages there.
    assert _post(_client(wg_enterprise), f"{API}/trips/{trip_id}/arrive").status_code == 403
    assert not Passage.objects.exists()
    gate_client = _client(personas.checkpoint_staff)
    assert [t["id"] for t in gate_client.get(f"{API}/trips").json()] == [trip_id]
    arrived = _post(gate_client, f"{API}/trips/{trip_id}/arrive")
    assert arrived.status_code == 200, arrived.content
    assert arrived.json()["status"] == "arrived"
    assert Passage.objects.filter(checkpoint=gate).count() == 1
    assert enterprise.employees.filter(name="返岗1").exists()


def test_one_trip_a_day_through_the_api(trip_id, wg_enterprise, gate, enterprise, ent_user):
    other = _post(
        _client(wg_enterprise),
        f"{API}/trips",
        {
            "mode": "flight",
            "origin": "哈尔滨",
            "origin_code": "230100",
            "date": timezone.localdate().isoformat(),
            "capacity": 100,
            "cost": "90000",
            "checkpoint_id": gate.pk,
            "enterprise_ids": [enterprise.pk],
        },
    ).json()["id"]
    ent = _client(ent_user)
    assert _post(ent, f"{API}/trips/{trip_id}/riders", _rider(1)).status_code == 201
    twice = _post(ent, f"{API}/trips/{other}/riders", _rider(1))
    assert twice.status_code == 422
    assert "每天只能乘坐一个车次" in json.dumps(twice.json(), ensure_ascii=False)
    assert Rider.objects.count() == 1


@pytest.fixture
def worker(ent_user, enterprise):
    return employee_create(
        actor=ent_user, enterprise=enterprise, data=clean_employee(name="自行返岗")
    )


def _ticket(client, worker, content=PNG, name="t.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{API}/tickets",
        {
            "employee_id": worker.pk,
            "route": "赣州—南昌",
            "travel_date": timezone.localdate().isoformat(),
            "fare": "86.50",
            "file": SimpleUploadedFile(name, content),
        },
    )


def test_tickets_scoped_and_checked(ent_user, far_user, worker, wg_enterprise, personas):
    ent = _client(ent_user)
    wrong = _ticket(ent, worker, content=b"GIF89a not allowed", name="t.png")
    assert wrong.status_code == 422
    assert "JPEG" in json.dumps(wrong.json(), ensure_ascii=False)
    assert not Ticket.objects.exists()

    made = _ticket(ent, worker)
    assert made.status_code == 201, made.content
    ticket_id = made.json()["id"]
    assert _ticket(_client(far_user), worker).status_code == 404
    assert _ticket(_client(wg_enterprise), worker).status_code == 403
    far = _client(far_user)
    missing = _post(far, f"{API}/tickets/999999/confirm")
    hidden = _post(far, f"{API}/tickets/{ticket_id}/confirm")
    assert hidden.status_code == missing.status_code == 404
    assert _body(hidden) == _body(missing)
    assert _post(_client(wg_enterprise), f"{API}/tickets/{ticket_id}/confirm").status_code == 403
    assert _post(ent, f"{API}/tickets/{ticket_id}/confirm").status_code == 200
    assert [t["id"] for t in _client(wg_enterprise).get(f"{API}/tickets").json()] == [ticket_id]
    assert far.get(f"{API}/tickets").json() == []


def test_manifest_masked_unless_allowed_and_audited(trip_id, ent_user, far_user, personas):
    from dualtrack.core.models import AuditAction, AuditEntry

    ent = _client(ent_user)
    assert _post(ent, f"{API}/trips/{trip_id}/riders", _rider(1)).status_code == 201
    pdf = ent.get(f"{API}/trips/{trip_id}/manifest.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).count() == 1

    gate = _client(personas.checkpoint_staff)
    sheet = gate.get(f"{API}/trips/{trip_id}/manifest.xlsx")
    assert sheet.status_code == 200
    import io

    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[2][2] == "返岗1"
    assert "*" in rows[2][3]  # masked for the gate's staff
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).count() == 1
    missing = _client(far_user).get(f"{API}/trips/999999/manifest.pdf")
    hidden = _client(far_user).get(f"{API}/trips/{trip_id}/manifest.pdf")
    assert hidden.status_code == missing.status_code == 404


def test_the_lists_take_a_fixed_number_of_queries(
    wg_enterprise, gate, enterprise, ent_user, worker
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    group = _client(wg_enterprise)

    def plan(n):
        body = {
            "mode": "bus",
            "origin": f"县{n}",
            "origin_code": "360731",
            "date": timezone.localdate().isoformat(),
            "capacity": 5,
            "cost": "1",
            "checkpoint_id": gate.pk,
            "enterprise_ids": [enterprise.pk],
        }
        assert _post(group, f"{API}/trips", body).status_code == 201

    ent = _client(ent_user)
    plan(1)
    assert _ticket(ent, worker).status_code == 201
    with CaptureQueriesContext(connection) as few:
        group.get(f"{API}/trips")
        group.get(f"{API}/tickets")
    for n in range(2, 7):
        plan(n)
        assert _ticket(ent, worker).status_code == 201
    with CaptureQueriesContext(connection) as many:
        group.get(f"{API}/trips")
        group.get(f"{API}/tickets")
    assert len(many) == len(few) <= 12
