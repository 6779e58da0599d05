"""The government services' API: every route's scoping (in sight 200, out of sight 404 with the
same body as a missing id, a role without the action 403), bad input refused in Chinese with
nothing written, the public routes by personal link and their rate limit."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook

from dualtrack.core.tests.helpers import accepted_job, comparable_problem, starting_jobs
from dualtrack.services.models import Booking, ServiceRequest, ServiceRequestStatus, Slot

from . import factories

pytestmark = pytest.mark.django_db

API = "/api/services"


def _client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def filed(desk):
    response = _post(
        _client(),
        f"{API}/public/requests/post",
        {"matter_id": desk.matter.pk, "applicant_name": "李四", "mobile": "13800138001"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    return ServiceRequest.objects.get(pk=data["request"]["id"]), data["link"].rstrip("/").rsplit(
        "/", 1
    )[1]


def test_request_routes_are_scoped(personas, desk, filed, ent_user):
    request, _token = filed
    url = f"{API}/requests/{request.pk}"
    assert _client(desk.clerk).get(url).status_code == 200
    assert _client(personas.commander).get(url).status_code == 200  # district-wide sight
    missing = _client(desk.clerk).get(f"{API}/requests/999999")
    for outsider in (desk.other_clerk, personas.town_officer, ent_user, personas.outsider):
        response = _client(outsider).get(url)
        assert response.status_code == 404
        assert comparable_problem(response) == comparable_problem(missing)
    listed = _client(desk.clerk).get(f"{API}/requests").json()["items"]
    assert [r["id"] for r in listed] == [request.pk]
    assert _client(desk.other_clerk).get(f"{API}/requests").json()["items"] == []
    assert _client(personas.outsider).get(f"{API}/requests").status_code == 404
    assert _client().get(f"{API}/requests").status_code == 401


def test_post_received_steps_and_403_for_a_role_without_them(personas, desk, filed):
    request, token = filed
    body = {"postal_tracking_no": "SF1001", "documents": ["身份证", "申请表"]}
    url = f"{API}/requests/{request.pk}/post-received"
    assert _post(_client(desk.other_clerk), url, body).status_code == 404
    assert _post(_client(personas.commander), url, body).status_code == 403
    short = _post(_client(desk.clerk), url, {**body, "documents": ["身份证"]})
    assert short.status_code == 422
    assert "申请表" in short.json()["errors"][0]["message"]
    assert ServiceRequest.objects.get(pk=request.pk).status == ServiceRequestStatus.AWAITING_POST
    assert _post(_client(desk.clerk), url, body).json()["status"] == "accepted"
    steps = f"{API}/requests/{request.pk}/steps"
    assert _post(_client(personas.commander), steps, {"status": "done"}).status_code == 403
    assert _post(_client(desk.clerk), steps, {"status": "done"}).json()["status"] == "done"
    tracked = _client().get(f"{API}/public/requests/{token}").json()
    assert [e["status"] for e in tracked["history"]] == ["awaiting_post", "accepted", "done"]
    rated = _post(_client(), f"{API}/public/requests/{token}/rating", {"rating": 4})
    assert rated.json()["rating"] == 4
    assert (
        _post(_client(), f"{API}/public/requests/{token}/rating", {"rating": 4}).status_code == 409
    )


def test_phone_is_recorded_by_the_department_only(personas, desk):
    body = {
        "matter_id": desk.matter.pk,
        "applicant_name": "王五",
        "mobile": "13800138002",
        "documents": ["身份证", "申请表"],
    }
    assert _post(_client(desk.other_clerk), f"{API}/requests/phone", body).status_code == 404
    assert _post(_client(personas.commander), f"{API}/requests/phone", body).status_code == 403
    response = _post(_client(desk.clerk), f"{API}/requests/phone", body)
    assert response.status_code == 201
    assert response.json()["request"]["status"] == "accepted"


def test_an_unknown_matter_is_refused_and_nothing_written(desk):
    response = _post(
        _client(),
        f"{API}/public/requests/post",
        {"matter_id": 999999, "applicant_name": "李四", "mobile": "13800138001"},
    )
    assert response.status_code == 404
    assert "不存在" in response.json()["detail"] or response.json()["title"]
    assert not ServiceRequest.objects.exists()


def test_online_request_without_its_documents_is_refused_in_chinese(desk):
    response = _client().post(
        f"{API}/public/requests/online",
        {
            "matter_id": desk.matter.pk,
            "applicant_name": "李四",
            "mobile": "13800138001",
            "files": [factories.pdf()],
        },
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "doc_1"
    assert response.json()["errors"][0]["message"] == "请上传此材料。"
    assert not ServiceRequest.objects.exists()
    ok = _client().post(
        f"{API}/public/requests/online",
        {
            "matter_id": desk.matter.pk,
            "applicant_name": "李四",
            "mobile": "13800138001",
            "files": [factories.pdf("a.pdf"), factories.pdf("b.pdf")],
        },
    )
    assert ok.status_code == 201, ok.content


def test_enterprise_sees_and_rates_only_its_own_requests(desk, ent_user, filed):
    mine = _post(
        _client(ent_user),
        f"{API}/requests/post",
        {"matter_id": desk.matter.pk, "applicant_name": "昌东电子", "mobile": "13800138003"},
    )
    assert mine.status_code == 201
    items = _client(ent_user).get(f"{API}/requests").json()["items"]
    assert [r["id"] for r in items] == [mine.json()["request"]["id"]]
    other, _token = filed
    assert _client(ent_user).get(f"{API}/requests/{other.pk}").status_code == 404
    assert (
        _post(
            _client(desk.clerk),
            f"{API}/requests/post",
            {"matter_id": desk.matter.pk, "applicant_name": "x", "mobile": "13800138003"},
        ).status_code
        == 403
    )


def test_booking_over_capacity_is_a_409_and_nothing_written(desk):
    slot = factories.slot(desk.clerk, desk.counter, capacity=1)
    first = _post(
        _client(),
        f"{API}/public/bookings",
        {"slot_id": slot.pk, "name": "甲", "mobile": "13800138001"},
    )
    assert first.status_code == 201
    full = _post(
        _client(),
        f"{API}/public/bookings",
        {"slot_id": slot.pk, "name": "乙", "mobile": "13800138002"},
    )
    assert full.status_code == 409
    assert full.json()["code"] == "slot_full"
    assert "已约满" in full.json()["detail"]
    assert Booking.objects.count() == 1 and Slot.objects.get(pk=slot.pk).booked == 1
    token = first.json()["link"].rstrip("/").rsplit("/", 1)[1]
    assert _client().get(f"{API}/public/bookings/{token}").json()["status"] == "booked"
    assert _client().get(f"{API}/public/bookings/nope").status_code == 404
    later = factories.slot(desk.clerk, desk.counter, hour=11)
    moved = _post(_client(), f"{API}/public/bookings/{token}/reschedule", {"slot_id": later.pk})
    assert moved.json()["slot"]["id"] == later.pk
    assert _post(_client(), f"{API}/public/bookings/{token}/cancel").json()["status"] == "cancelled"


def test_slots_and_queue_are_the_departments(personas, desk):
    slot = factories.slot(desk.clerk, desk.counter)
    body = {"day": str(slot.day), "starts_at": "14:00", "ends_at": "14:30", "capacity": 5}
    url = f"{API}/counters/{desk.counter.pk}/slots"
    assert _post(_client(desk.other_clerk), url, body).status_code == 404
    assert _post(_client(personas.commander), url, body).status_code == 403
    assert _post(_client(desk.clerk), url, body).status_code == 201
    _post(
        _client(),
        f"{API}/public/bookings",
        {"slot_id": slot.pk, "name": "甲", "mobile": "13800138001"},
    )
    queue = f"{API}/counters/{desk.counter.pk}/queue?day={slot.day}"
    assert [q["booking"]["name"] for q in _client(desk.clerk).get(queue).json()] == ["甲"]
    assert _client(desk.other_clerk).get(queue).status_code == 404
    public = _client().get(f"{API}/public/counters/{desk.counter.pk}/slots").json()
    assert {s["id"] for s in public} >= {slot.pk}


def test_holidays_figures_and_export(personas, desk, filed):
    body = {"day": "2030-10-01", "name": "国庆节"}
    assert _post(_client(personas.town_officer), f"{API}/holidays", body).status_code == 403
    assert _post(_client(personas.outsider), f"{API}/holidays", body).status_code == 404
    assert _post(_client(personas.district_admin), f"{API}/holidays", body).status_code == 201
    figures = _client(desk.clerk).get(f"{API}/figures").json()
    assert figures["by_department"][0]["by_channel"] == {"post": 1}
    assert _client(desk.other_clerk).get(f"{API}/figures").json()["by_matter"] == []
    clerk = _client(desk.clerk)
    with starting_jobs():
        started = clerk.post(f"{API}/requests/export")
    job = accepted_job(clerk, started)
    assert job["state"] == "done" and job["kind"] == "services.requests_export"
    assert (job["done"], job["total"]) == (1, 1)
    sheet = load_workbook(io.BytesIO(clerk.get(job["result_url"]).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == filed[0].tracking_no
    assert _client(personas.outsider).post(f"{API}/requests/export").status_code == 404


def test_public_routes_are_rate_limited(desk, settings):
    settings.SERVICES_PUBLIC_RATE = "2/d"
    cache.clear()
    client = _client()
    codes = [client.get(f"{API}/public/matters").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_request_list_costs_the_same_queries_for_one_row_or_many(desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(desk.clerk)

    def file() -> None:
        _post(
            _client(),
            f"{API}/public/requests/post",
            {"matter_id": desk.matter.pk, "applicant_name": "李四", "mobile": "13800138001"},
        )

    file()
    client.get(f"{API}/requests")  # the session and the scope warm
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(f"{API}/requests").json()["items"]) == 1
    for _ in range(5):
        file()
    with CaptureQueriesContext(connection) as six:
        assert len(client.get(f"{API}/requests").json()["items"]) == 6
    assert len(six) == len(one)
