"""The government services' pages: the public ones on a phone (filing, following, rating,
booking, moving, cancelling; rate-limited), and the departments' pages scoped (out of sight 404,
in sight without the role 403)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from dualtrack.services.models import Booking, ServiceRequest, ServiceRequestStatus

from . import factories

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def _token(response) -> str:
    return response.url.rstrip("/").rsplit("/", 1)[1]


def test_a_resident_files_by_post_and_follows_it(desk):
    client = _client()
    assert "失业保险金申领" in client.get("/services/").content.decode()
    page = client.post(
        f"/services/matters/{desk.matter.pk}/apply/",
        {"applicant_name": "李四", "mobile": "13800138001", "channel": "post"},
    )
    assert page.status_code == 302
    tracked = client.get(page.url).content.decode()
    assert "待收邮寄材料" in tracked
    assert ServiceRequest.objects.get().status == ServiceRequestStatus.AWAITING_POST


def test_filing_online_without_the_documents_shows_the_error_and_writes_nothing(desk):
    page = _client().post(
        f"/services/matters/{desk.matter.pk}/apply/",
        {
            "applicant_name": "李四",
            "mobile": "13800138001",
            "channel": "online",
            "doc_0": factories.pdf(),
        },
    )
    assert page.status_code == 422
    assert "请上传此材料。" in page.content.decode()
    assert not ServiceRequest.objects.exists()
    assert _client().get("/services/matters/999999/apply/").status_code == 404


def test_booking_full_slot_moving_and_cancelling_on_the_public_pages(desk):
    slot = factories.slot(desk.clerk, desk.counter, capacity=1)
    later = factories.slot(desk.clerk, desk.counter, capacity=1, hour=10)
    client = _client()
    booked = client.post(
        f"/services/counters/{desk.counter.pk}/book/",
        {"slot": slot.pk, "name": "甲", "mobile": "13800138001"},
    )
    assert booked.status_code == 302
    token = _token(booked)
    full = client.post(
        f"/services/counters/{desk.counter.pk}/book/",
        {"slot": slot.pk, "name": "乙", "mobile": "13800138002"},
    )
    assert full.status_code == 422  # the full slot is no longer offered
    assert Booking.objects.count() == 1
    assert client.post(f"/services/bookings/{token}/move/", {"slot": later.pk}).status_code == 302
    assert Booking.objects.get().slot == later
    assert client.post(f"/services/bookings/{token}/cancel/").status_code == 302
    assert "已取消" in client.get(f"/services/bookings/{token}/").content.decode()
    assert client.get("/services/bookings/unknown/").status_code == 404


def test_staff_pages_are_scoped(personas, desk, ent_user):
    page = _client().post(
        f"/services/matters/{desk.matter.pk}/apply/",
        {"applicant_name": "李四", "mobile": "13800138001", "channel": "post"},
    )
    token = _token(page)
    request = ServiceRequest.objects.get()
    detail = f"/services/requests/{request.pk}/"
    assert _client(desk.clerk).get(detail).status_code == 200
    assert _client(personas.commander).get(detail).status_code == 200
    for outsider in (desk.other_clerk, personas.town_officer, ent_user, personas.outsider):
        assert _client(outsider).get(detail).status_code == 404
    received = f"/services/requests/{request.pk}/post-received/"
    body = {"postal_tracking_no": "SF1", "documents": ["身份证", "申请表"]}
    assert _client(personas.commander).post(received, body).status_code == 403
    assert _client(desk.other_clerk).post(received, body).status_code == 404
    short = _client(desk.clerk).post(received, {**body, "documents": ["身份证"]})
    assert short.status_code == 422 and "缺少必需材料" in short.content.decode()
    assert _client(desk.clerk).post(received, body).status_code == 302
    step = f"/services/requests/{request.pk}/step/"
    assert _client(personas.commander).post(step, {"status": "done"}).status_code == 403
    assert _client(desk.clerk).post(step, {"status": "done"}).status_code == 302
    assert "已办结" in _client().get(f"/services/track/{token}/").content.decode()
    assert _client().post(f"/services/track/{token}/rate/", {"rating": 5}).status_code == 302
    assert ServiceRequest.objects.get().rating == 5
    listing = _client(desk.clerk).get("/services/requests/").content.decode()
    assert request.tracking_no in listing
    assert (
        request.tracking_no
        not in _client(desk.other_clerk).get("/services/requests/").content.decode()
    )
    assert _client(personas.outsider).get("/services/requests/").status_code == 404
    started = _client(desk.clerk).post("/services/requests/export/")
    assert started.status_code == 303 and started["Location"].startswith("/jobs/")
    assert _client(personas.outsider).post("/services/requests/export/").status_code == 404
    assert _client(desk.clerk).get("/services/figures/").status_code == 200
    assert _client(personas.outsider).get("/services/figures/").status_code == 404


def test_phone_queue_and_slot_pages(personas, desk):
    assert _client(desk.clerk).get("/services/requests/phone/").status_code == 200
    assert _client(personas.commander).get("/services/requests/phone/").status_code == 403
    assert _client(personas.outsider).get("/services/requests/phone/").status_code == 404
    recorded = _client(desk.clerk).post(
        "/services/requests/phone/",
        {
            "matter": desk.matter.pk,
            "applicant_name": "王五",
            "mobile": "13800138002",
            "documents": ["身份证", "申请表"],
        },
    )
    assert recorded.status_code == 302
    queue = f"/services/desk/{desk.counter.pk}/"
    assert _client(desk.clerk).get(queue).status_code == 200
    assert _client(desk.other_clerk).get(queue).status_code == 404
    slots = f"/services/desk/{desk.counter.pk}/slots/"
    body = {"day": "2030-01-02", "starts_at": "09:00", "ends_at": "09:30", "capacity": 3}
    assert _client(personas.commander).post(slots, body).status_code == 403
    assert _client(desk.clerk).post(slots, body).status_code == 302
    bad = _client(desk.clerk).post(slots, {**body, "starts_at": "10:00", "ends_at": "09:00"})
    assert bad.status_code == 422


def test_public_pages_are_rate_limited(desk, settings):
    settings.SERVICES_PUBLIC_RATE = "2/d"
    cache.clear()
    client = _client()
    assert [client.get("/services/").status_code for _ in range(3)] == [200, 200, 429]
