"""Every id an enterprises write takes is read through the caller's sight: a record out of it
is not found, with the same answer as one that does not exist, and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from dualtrack.core.tests.helpers import problem_of
from dualtrack.enterprises.models import (
    DailyReport,
    Employee,
    Enterprise,
    Inspection,
    Phase,
    ResumptionFiling,
    SampleDraw,
)
from dualtrack.enterprises.services.filings import filing_submit, phase_set
from dualtrack.enterprises.services.signups import signup_submit
from dualtrack.enterprises.services.supervision import inspection_record, sample_draw

from .conftest import CODES, filing_data

pytestmark = pytest.mark.django_db

API = "/api/enterprises"


def _send(client, method, url, body):
    return getattr(client, method)(f"{API}{url}", body, content_type="application/json")


def _answer(response):
    body = problem_of(response, 404, "not_found")
    body.pop("instance", None)
    return body


def _enterprise(town_id, code=CODES[2]):
    return {"credit_code": code, "name": "新企业", "town_id": town_id, "normal_workforce": 10}


def test_a_town_out_of_sight_reads_as_one_that_does_not_exist(
    client, personas, district, enterprise
):
    """昌东镇's officer names 麻丘镇 (it exists) and a town that does not: one answer."""
    client.force_login(personas.town_officer)
    before = Enterprise.objects.count()
    far = _answer(_send(client, "post", "/enterprises", _enterprise(district.other_town.pk)))
    missing = _answer(_send(client, "post", "/enterprises", _enterprise(999_999)))
    assert far == missing and far["errors"][0]["field"] == "town_id"
    url = f"/enterprises/{enterprise.pk}"
    moved = _answer(_send(client, "put", url, _enterprise(district.other_town.pk, CODES[0])))
    assert moved == missing
    assert Enterprise.objects.count() == before
    enterprise.refresh_from_db()
    assert enterprise.area_id == district.town.pk


def test_a_sample_drawn_from_a_town_out_of_sight_is_not_found(
    client, personas, district, enterprise, far_enterprise
):
    client.force_login(personas.town_officer)
    far = _answer(
        _send(client, "post", "/draws", {"fraction": 0.5, "town_ids": [district.other_town.pk]})
    )
    missing = _answer(_send(client, "post", "/draws", {"fraction": 0.5, "town_ids": [999_999]}))
    assert far == missing and far["errors"][0]["field"] == "town_ids"
    assert not SampleDraw.objects.exists()
    drawn = _send(client, "post", "/draws", {"fraction": 0.5, "town_ids": [district.town.pk]})
    assert drawn.status_code == 201


def test_every_write_on_an_enterprise_out_of_sight_is_not_found(client, personas, far_enterprise):
    filing = filing_submit(
        actor=personas.district_admin, enterprise=far_enterprise, data=filing_data()
    )
    signup = signup_submit(
        credit_code=far_enterprise.credit_code,
        contact_name="王五",
        contact_phone="13800138000",
        username="maqiu",
        password="a-long-password-1",
    )
    client.force_login(personas.town_officer)
    today = timezone.localdate()
    pk = far_enterprise.pk
    writes = [
        ("post", f"/enterprises/{pk}/suspend", {"reason": "x"}),
        ("post", f"/enterprises/{pk}/resume", {}),
        (
            "post",
            f"/enterprises/{pk}/filings",
            {
                "planned_date": today.isoformat(),
                "workers_planned": 3,
                "commitment_signed": True,
                "commitment_signer": "张三",
            },
        ),
        (
            "post",
            f"/enterprises/{pk}/daily-reports",
            {"date": today.isoformat(), "workers_on_duty": 1},
        ),
        ("post", f"/enterprises/{pk}/employees", {"name": "李四"}),
        ("post", f"/enterprises/{pk}/inspections", {"inspected_on": today.isoformat()}),
        ("post", f"/filings/{filing.pk}/pass", {}),
        ("post", f"/filings/{filing.pk}/return", {"reason": "x"}),
        ("post", f"/signups/{signup.pk}/decision", {"approve": True}),
    ]
    for method, url, body in writes:
        problem_of(_send(client, method, url, body), 404, "not_found")
    assert [f.status for f in ResumptionFiling.objects.all()] == ["town_review"]
    signup.refresh_from_db()
    assert signup.status == "pending"
    assert not DailyReport.objects.exists()
    assert not Employee.objects.exists()
    assert not Inspection.objects.exists()


def test_the_registry_form_offers_only_towns_in_sight(client, personas, district):
    client.force_login(personas.town_officer)
    response = client.post(
        reverse("enterprise_create"),
        {"credit_code": CODES[2], "name": "新企业", "town": district.other_town.pk},
    )
    assert response.status_code == 200 and "field-invalid" in response.content.decode()
    assert response.context["form"].errors["town"]
    assert not Enterprise.objects.filter(credit_code=CODES[2]).exists()


def test_every_page_write_on_a_record_out_of_sight_is_not_found(
    client, personas, far_enterprise, supervisor
):
    """The pages take the same ids as the API, and read them the same way."""
    phase_set(
        actor=personas.district_admin,
        phase=Phase.FULL,
        effective_from=timezone.localdate(),
        note="",
    )
    filing = filing_submit(
        actor=personas.district_admin, enterprise=far_enterprise, data=filing_data()
    )
    far_enterprise.refresh_from_db()
    inspection = inspection_record(
        actor=supervisor,
        enterprise=far_enterprise,
        inspected_on=timezone.localdate(),
        checklist={},
        findings="",
        rectifications=[("整改", timezone.localdate())],
    )
    rectification = inspection.rectifications.get()
    draw = sample_draw(actor=supervisor, fraction="1")
    client.force_login(personas.town_officer)
    posts = [
        reverse("enterprise_edit", args=[far_enterprise.pk]),
        reverse("enterprise_suspend", args=[far_enterprise.pk]),
        reverse("enterprise_filing", args=[filing.pk]),
        reverse("enterprise_inspection_create", args=[far_enterprise.pk]),
        reverse("enterprise_rectification_close", args=[rectification.pk]),
        reverse("enterprise_inspection_create", args=[far_enterprise.pk]) + f"?draw={draw.pk}",
    ]
    for url in posts:
        assert client.post(url, {"reason": "x", "decision": "return"}).status_code == 404, url
    filing.refresh_from_db()
    assert filing.status == "accepted" and len(filing.events.all()) == 1
    assert far_enterprise.inspections.count() == 1
    rectification.refresh_from_db()
    assert rectification.closed_on is None
