"""A worker of an enterprise's roster placed under quarantine: read through the enterprises'
selectors (their numbers from the roster), in scope only."""

from __future__ import annotations

import datetime
import json

from django.utils import timezone

from dualtrack.areas.tests.factories import make_id_number
from dualtrack.core.tests.helpers import problem_of
from dualtrack.enterprises.services.roster import EmployeeData, employee_create
from dualtrack.enterprises.tests.factories import EnterpriseFactory
from dualtrack.health.models import QuarantineOrder


def _worker(actor, town, name):
    enterprise = EnterpriseFactory.create(actor=actor, town=town)
    number = make_id_number()
    data = EmployeeData(
        name=name,
        id_number=number,
        phone="13900000001",
        home_region="360124",
        returned_from="420102",
        returned_on=timezone.localdate() - datetime.timedelta(days=2),
        health="healthy",
        new_hire=False,
        hire_date=None,
    )
    return employee_create(actor=actor, enterprise=enterprise, data=data), number


def test_a_worker_of_a_roster_in_scope_only(client, district, personas):
    worker, number = _worker(personas.district_admin, district.town, "周工")
    far, _far_number = _worker(personas.district_admin, district.other_town, "吴工")
    client.force_login(personas.town_officer)
    body = {
        "kind": "home",
        "person_kind": "worker",
        "employee_id": worker.pk,
        "area_id": district.village.pk,
        "reason": "返岗人员，自武汉返回",
        "source": "roster",
        "last_exposure": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
    }
    response = client.post(
        "/api/health/quarantine/orders", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    order = QuarantineOrder.objects.get()
    assert (order.name, order.id_number, order.employee) == ("周工", number, worker)
    outside = {**body, "employee_id": far.pk}
    problem_of(
        client.post(
            "/api/health/quarantine/orders", json.dumps(outside), content_type="application/json"
        ),
        404,
        "not_found",
    )
    assert QuarantineOrder.objects.count() == 1
