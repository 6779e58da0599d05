"""Requests by channel: online with every document, by post accepted when the documents
arrive, by phone recorded by the department; the steps to done or refused; the rating."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditEntry
from dualtrack.services.models import RequestDocument, ServiceRequest, ServiceRequestStatus
from dualtrack.services.services import calendar, requests

from . import factories

pytestmark = pytest.mark.django_db


def test_online_request_with_every_document_is_accepted_with_its_deadline(desk):
    new, token = requests.request_file_online(
        actor=None,
        matter=desk.matter,
        applicant_name="李四",
        mobile="13800138001",
        files=[factories.pdf(), factories.pdf()],
    )
    assert new.status == ServiceRequestStatus.ACCEPTED
    assert new.tracking_no.startswith("FW")
    cal = calendar.calendar()
    first = cal.counted_from(timezone.localtime(new.accepted_at))
    assert new.clock_starts_on == first
    assert new.due_on == cal.due_on(first, 5)
    assert RequestDocument.objects.filter(request=new).count() == 2
    assert requests.request_for_link(token) == new
    assert AuditEntry.objects.filter(target_id=str(new.pk)).exists()


def test_online_request_without_a_required_document_writes_nothing(desk):
    with pytest.raises(ValidationFailed) as caught:
        requests.request_file_online(
            actor=None,
            matter=desk.matter,
            applicant_name="李四",
            mobile="13800138001",
            files=[factories.pdf()],
        )
    assert [e["field"] for e in caught.value.errors] == ["doc_1"]
    assert not ServiceRequest.objects.exists()


def test_a_document_is_checked_by_its_content_and_size(desk, settings):
    with pytest.raises(ValidationFailed):
        requests.request_file_online(
            actor=None,
            matter=desk.matter,
            applicant_name="李四",
            mobile="13800138001",
            files=[factories.pdf(), factories.not_a_pdf()],
        )
    settings.SERVICES_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationFailed):
        requests.request_file_online(
            actor=None,
            matter=desk.matter,
            applicant_name="李四",
            mobile="13800138001",
            files=[factories.pdf(), factories.pdf()],
        )
    assert not ServiceRequest.objects.exists()


def test_a_matter_not_accepted_by_post_is_refused(personas, desk):
    online_only = factories.matter(
        personas.district_admin, desk.department, name="仅网办", channels=["online"]
    )
    with pytest.raises(ValidationFailed):
        requests.request_file_post(
            actor=None, matter=online_only, applicant_name="李四", mobile="13800138001"
        )
    assert not ServiceRequest.objects.exists()


def test_by_post_accepted_when_the_documents_arrive_then_tracked_to_done(desk):
    new, token = requests.request_file_post(
        actor=None, matter=desk.matter, applicant_name="李四", mobile="13800138001"
    )
    assert new.status == ServiceRequestStatus.AWAITING_POST and new.due_on is None
    with pytest.raises(ValidationFailed):
        requests.request_post_received(
            actor=desk.clerk, request=new, postal_tracking_no="SF123", documents=["身份证"]
        )
    new.refresh_from_db()
    assert new.status == ServiceRequestStatus.AWAITING_POST
    accepted = requests.request_post_received(
        actor=desk.clerk, request=new, postal_tracking_no="SF123", documents=["身份证", "申请表"]
    )
    assert accepted.status == ServiceRequestStatus.ACCEPTED and accepted.due_on is not None
    assert accepted.postal_tracking_no == "SF123"
    for step in (ServiceRequestStatus.IN_PROGRESS, ServiceRequestStatus.DONE):
        requests.request_advance(actor=desk.clerk, request=accepted, status=step)
    done = requests.request_for_link(token)
    assert done.status == ServiceRequestStatus.DONE and done.closed_at is not None
    assert [e.status for e in done.events.all()] == [
        "awaiting_post",
        "accepted",
        "in_progress",
        "done",
    ]
    rated = requests.request_rate(actor=None, request=done, rating=5, comment="快")
    assert rated.rating == 5
    with pytest.raises(Conflict):
        requests.request_rate(actor=None, request=done, rating=4)


def test_refusal_needs_a_reason_and_a_closed_request_takes_no_step(desk):
    new, _token = requests.request_record_phone(
        actor=desk.clerk,
        matter=desk.matter,
        applicant_name="王五",
        mobile="13800138002",
        documents=["身份证", "申请表"],
    )
    with pytest.raises(ValidationFailed):
        requests.request_advance(actor=desk.clerk, request=new, status=ServiceRequestStatus.REFUSED)
    refused = requests.request_advance(
        actor=desk.clerk, request=new, status=ServiceRequestStatus.REFUSED, note="不符合条件"
    )
    assert refused.refusal_reason == "不符合条件"
    with pytest.raises(Conflict):
        requests.request_advance(actor=desk.clerk, request=new, status=ServiceRequestStatus.DONE)
    with pytest.raises(Conflict):
        requests.request_rate(actor=None, request=refused, rating=3)


def test_only_the_departments_staff_handle_its_requests(personas, desk):
    new, _token = requests.request_file_post(
        actor=None, matter=desk.matter, applicant_name="李四", mobile="13800138001"
    )
    with pytest.raises(NotFound):
        requests.request_advance(
            actor=desk.other_clerk, request=new, status=ServiceRequestStatus.REFUSED, note="x"
        )
    with pytest.raises(PermissionDenied):  # sees the district's departments, handles none
        requests.request_advance(
            actor=personas.commander, request=new, status=ServiceRequestStatus.REFUSED, note="x"
        )
    with pytest.raises(NotFound):
        requests.request_record_phone(
            actor=personas.outsider,
            matter=desk.matter,
            applicant_name="王五",
            mobile="13800138002",
            documents=[],
        )


def test_a_holiday_set_moves_the_deadline(personas, desk):
    today = timezone.localdate()
    cal = calendar.calendar()
    first = cal.next_working_day(today)
    calendar.holiday_set(actor=personas.district_admin, day=first, name="假日")
    assert calendar.calendar().next_working_day(today) != first
    with pytest.raises(Conflict):
        calendar.holiday_set(actor=personas.district_admin, day=first, name="再次")
    with pytest.raises(PermissionDenied):
        calendar.holiday_set(
            actor=personas.town_officer, day=first + datetime.timedelta(days=30), name="x"
        )


def test_the_time_limit_pauses_while_more_documents_are_awaited(desk, personas):
    from dualtrack.services.figures import service_figures

    new, _t = requests.request_record_phone(
        actor=desk.clerk,
        matter=desk.matter,
        applicant_name="张三",
        mobile="13800138001",
        documents=["身份证", "申请表"],
    )
    today = timezone.localdate()
    cal = calendar.calendar()
    # Accepted long ago, its due day past, then paused before that day: not overdue while paused.
    due = today - datetime.timedelta(days=10)
    ServiceRequest.objects.filter(pk=new.pk).update(due_on=due)
    paused = requests.request_advance(
        actor=desk.clerk, request=new, status=ServiceRequestStatus.NEEDS_MORE, note="补充原件"
    )
    assert paused.paused_on == today
    paused_on = due - datetime.timedelta(days=3)
    ServiceRequest.objects.filter(pk=new.pk).update(paused_on=paused_on)
    assert service_figures(user=desk.clerk).by_matter[0].overdue == 0
    resumed = requests.request_advance(
        actor=desk.clerk,
        request=ServiceRequest.objects.get(pk=new.pk),
        status=ServiceRequestStatus.IN_PROGRESS,
    )
    expected_due, days = cal.resumed(due, paused_on, today)
    assert (resumed.due_on, resumed.paused_days, resumed.paused_on) == (expected_due, days, None)
    assert resumed.due_on >= today and days > 0
    assert service_figures(user=desk.clerk).by_matter[0].overdue == 0
