"""The enterprises API: scoped reads, problem+json refusals, the workflow end to end."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import PASSWORD
from dualtrack.core.models import User
from dualtrack.core.tests.helpers import accepted_job, starting_jobs
from dualtrack.enterprises.models import DailyReport, Enterprise, Phase
from dualtrack.enterprises.services.signups import signup_submit

from .conftest import CODES
from .factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

API = "/api/enterprises"


def _filing(**extra):
    return {
        "planned_date": timezone.localdate().isoformat(),
        "workers_planned": 30,
        "commitment_signed": True,
        "commitment_signer": "张三",
        **extra,
    }


def test_list_is_scoped_and_paged(
    client, personas, enterprise, far_enterprise, django_assert_max_num_queries
):
    client.force_login(personas.town_officer)
    with django_assert_max_num_queries(8):
        body = client.get(f"{API}/enterprises").json()
    assert [e["name"] for e in body["items"]] == ["昌东电子"]
    assert body["items"][0]["contact_phone"] == "138****8000"
    assert client.get(f"{API}/enterprises/{far_enterprise.pk}").status_code == 404


def test_create_refuses_bad_and_duplicate_codes_as_problems(client, personas, district, enterprise):
    client.force_login(personas.town_officer)
    body = {"credit_code": CODES[0], "name": "x", "town_id": district.town.pk}
    response = client.post(f"{API}/enterprises", body, content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "credit_code"
    body["credit_code"] = "bad"
    assert (
        client.post(f"{API}/enterprises", body, content_type="application/json").status_code == 422
    )
    body.update(credit_code=CODES[2], normal_workforce=-1)
    response = client.post(f"{API}/enterprises", body, content_type="application/json")
    assert response.json()["errors"][0]["field"] == "normal_workforce"
    assert Enterprise.objects.count() == 1


def test_full_workflow_through_the_api(client, personas, enterprise, wg_enterprise):
    # Signing up is a public page (portal_signup), not an API route.
    signup_submit(
        credit_code=CODES[0],
        contact_name="李四",
        contact_phone="13900139000",
        username="apico",
        password=PASSWORD,
    )
    client.force_login(personas.town_officer)
    signup = client.get(f"{API}/signups").json()[0]
    client.post(
        f"{API}/signups/{signup['id']}/decision", {"approve": True}, content_type="application/json"
    )
    client.force_login(User.objects.get(username="apico", is_active=True))
    filing = client.post(
        f"{API}/enterprises/{enterprise.pk}/filings", _filing(), content_type="application/json"
    ).json()
    assert filing["status"] == "town_review"
    client.force_login(personas.town_officer)
    client.post(f"{API}/filings/{filing['id']}/pass")
    client.force_login(wg_enterprise)
    approved = client.post(f"{API}/filings/{filing['id']}/pass").json()
    assert approved["status"] == "approved" and approved["notice_number"]
    pdf = client.get(f"{API}/filings/{filing['id']}/notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(personas.district_admin)
    figures = client.get(f"{API}/figures").json()
    assert figures["total"]["approved"] == 1 and figures["total"]["resumed"] == 1


def test_phase_is_set_only_by_set_phase_roles(client, personas):
    body = {"phase": Phase.FULL, "effective_from": timezone.localdate().isoformat()}
    client.force_login(personas.town_officer)
    assert client.post(f"{API}/phase", body, content_type="application/json").status_code == 403
    client.force_login(personas.commander)
    assert client.post(f"{API}/phase", body, content_type="application/json").status_code == 201
    assert client.get(f"{API}/phase").json()["phase"] == "full"


def test_daily_report_refusals(client, personas, enterprise, ent_user):
    Enterprise.objects.filter(pk=enterprise.pk).update(
        status="resumed", resumed_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    client.force_login(ent_user)
    url = f"{API}/enterprises/{enterprise.pk}/daily-reports"
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        url, {"date": future, "workers_on_duty": -1}, content_type="application/json"
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"date", "workers_on_duty"}
    assert not DailyReport.objects.exists()
    client.force_login(personas.town_officer)
    missing = client.get(f"{API}/daily-reports/missing").json()
    assert [e["name"] for e in missing["enterprises"]] == ["昌东电子"]


def test_import_rows_are_reported_as_a_problem(client, personas):
    client.force_login(personas.town_officer)
    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码", "企业名称", "所在镇处"])
    book.active.append(["bad", "", "麻丘镇"])
    out = io.BytesIO()
    book.save(out)
    with starting_jobs():
        response = client.post(
            f"{API}/imports/enterprises", {"file": SimpleUploadedFile("a.xlsx", out.getvalue())}
        )
    job = accepted_job(client, response)
    assert job["state"] == "failed"
    columns = {row["column"] for row in job["problems"]}
    assert columns == {"统一社会信用代码", "企业名称", "所在镇处"}
    assert job["figures"] == {"total_rows": 1, "imported": 0, "bad_rows": 1}
    assert not Enterprise.objects.exists()


def test_the_registry_and_a_roster_export_as_jobs(client, personas, enterprise):
    client.force_login(personas.district_admin)
    with starting_jobs():
        registry = client.post(f"{API}/exports/enterprises")
        roster = client.post(f"{API}/enterprises/{enterprise.pk}/roster/export")
    registry_job = accepted_job(client, registry)
    assert registry_job["state"] == "done" and registry_job["result_name"].endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(registry_job["result_url"]).content))
    assert sheet.active.cell(row=2, column=2).value == enterprise.name
    roster_job = client.get(roster.json()["url"]).json()
    assert roster_job["state"] == "done" and roster_job["result_url"]
    client.force_login(personas.town_officer)
    assert client.get(registry_job["result_url"]).status_code == 404


def test_draw_is_reproducible_from_its_seed(client, personas, district):
    made = EnterpriseFactory.create_batch(6, actor=personas.district_admin, town=district.town)
    Enterprise.objects.filter(pk__in=[e.pk for e in made]).update(status="resumed")
    client.force_login(personas.town_officer)
    first = client.post(
        f"{API}/draws", {"fraction": 0.5, "seed": 7}, content_type="application/json"
    ).json()
    again = client.post(
        f"{API}/draws", {"fraction": 0.5, "seed": 7}, content_type="application/json"
    ).json()
    assert first["drawn"] == again["drawn"] and len(first["drawn"]) == 3
    assert first["strata"][0]["population"] == 6
    inspection = client.post(
        f"{API}/enterprises/{first['drawn'][0]}/inspections",
        {
            "inspected_on": timezone.localdate().isoformat(),
            "rectifications": [
                {"requirement": "补消毒记录", "deadline": timezone.localdate().isoformat()}
            ],
            "draw_id": first["id"],
        },
        content_type="application/json",
    ).json()
    assert inspection["result"] == "rectify"
    rect = inspection["rectifications"][0]["id"]
    closed = client.post(
        f"{API}/rectifications/{rect}/close", {"note": "已整改"}, content_type="application/json"
    ).json()
    assert closed["closed_on"] == timezone.localdate().isoformat()
