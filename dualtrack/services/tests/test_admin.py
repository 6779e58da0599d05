"""The services' admin is scoped like their pages, read-only, and shows mobiles masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dualtrack.services.models import ServiceRequest
from dualtrack.services.services import requests

from . import factories

pytestmark = pytest.mark.django_db


def test_a_clerk_sees_their_departments_requests_masked_and_read_only(client, personas, desk):
    other_matter = factories.matter(personas.district_admin, desk.other_department, name="营业执照")
    own, _t = requests.request_record_phone(
        actor=desk.clerk,
        matter=desk.matter,
        applicant_name="张三",
        mobile="13800138001",
        documents=["身份证", "申请表"],
    )
    far, _t = requests.request_record_phone(
        actor=desk.other_clerk,
        matter=other_matter,
        applicant_name="李四",
        mobile="13800138002",
        documents=["身份证", "申请表"],
    )
    desk.clerk.is_staff = True
    desk.clerk.save()
    client.force_login(desk.clerk)
    listing = client.get(reverse("admin:services_servicerequest_changelist"))
    assert [r.pk for r in listing.context["cl"].result_list] == [own.pk]
    page = client.get(reverse("admin:services_servicerequest_change", args=[own.pk]))
    assert page.status_code == 200
    assert "张三" in page.content.decode() and "13800138001" not in page.content.decode()
    assert "138****8001" in listing.content.decode()
    assert (
        client.get(reverse("admin:services_servicerequest_change", args=[far.pk])).status_code
        == 404
    )
    change = client.post(
        reverse("admin:services_servicerequest_change", args=[own.pk]), {"applicant_name": "改"}
    )
    assert change.status_code == 403
    assert ServiceRequest.objects.get(pk=own.pk).applicant_name == "张三"
