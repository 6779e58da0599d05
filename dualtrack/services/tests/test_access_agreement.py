"""Every representation of the services' access rule gives the same answer on the same rows:
for each persona, the queryset, the per-row check, the selector, the API (list and detail) and
the page agree on which requests and counters they see; the per-row check, the service, the
API and the page agree on who takes a request a step."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from dualtrack.core.tests.helpers import cast, tried
from dualtrack.services import access, selectors
from dualtrack.services.services import requests

from . import factories

pytestmark = pytest.mark.django_db

API = "/api/services"


@pytest.fixture
def everyone(personas, desk, ent_user):
    return cast(personas, clerk=desk.clerk, other_clerk=desk.other_clerk, enterprise=ent_user)


@pytest.fixture
def records(personas, desk, ent_user):
    admin = personas.district_admin
    other_matter = factories.matter(admin, desk.other_department, name="营业执照办理")
    other_counter = factories.counter(admin, desk.other_department, name="2号窗口")
    own, _t = requests.request_file_post(
        actor=ent_user,
        matter=desk.matter,
        applicant_name="昌东电子",
        mobile="13800138000",
        enterprise=access.require_enterprise_login(ent_user),
    )
    called, _t = requests.request_record_phone(
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
    return {"request": [own, called, far], "counter": [desk.counter, other_counter]}


def test_who_sees_which_request(everyone, records, desk):
    seen: dict[str, set[int]] = {}
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        answer = client.get(f"{API}/requests")
        listed = (
            {r["id"] for r in answer.json().get("items", [])}
            if answer.status_code == 200
            else set()
        )
        for record in records["request"]:
            by_query = access.requests_visible(user).filter(pk=record.pk).exists()
            by_row = access.may_see_request(user, record)
            by_selector = tried(
                lambda u=user, r=record: selectors.request_get_for(user=u, request_id=r.pk)
            )
            by_api = client.get(f"{API}/requests/{record.pk}").status_code == 200
            by_page = client.get(f"/services/requests/{record.pk}/").status_code == 200
            answers = {by_query, by_row, by_selector, by_api, by_page, record.pk in listed}
            assert len(answers) == 1, (name, record.pk, answers)
            if by_query:
                seen.setdefault(name, set()).add(record.pk)
    own, called, far = (r.pk for r in records["request"])
    assert seen["district_admin"] == seen["commander"] == {own, called, far}
    assert seen["clerk"] == {own, called}
    assert seen["other_clerk"] == {far}
    assert seen["enterprise"] == {own}
    assert not {"town_officer", "village_cadre", "checkpoint_staff", "outsider"} & seen.keys()


def test_who_sees_which_counter(everyone, records):
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        for counter in records["counter"]:
            by_query = selectors.counters_for(user=user).filter(pk=counter.pk).exists()
            by_row = tried(lambda u=user, c=counter: access.require_see_counter(u, c))
            by_api = client.get(f"{API}/counters/{counter.pk}/queue").status_code == 200
            by_page = client.get(f"/services/desk/{counter.pk}/").status_code == 200
            assert by_query == by_row == by_api == by_page, (name, counter.pk)
    assert selectors.counters_for(user=everyone["clerk"]).count() == 1
    assert not selectors.counters_for(user=everyone["enterprise"]).exists()


def test_who_takes_a_request_a_step(everyone, records):
    step = {"status": "in_progress", "note": ""}
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        for record in records["request"][1:]:
            by_row = access.may_handle_request(user, record)
            by_service = tried(
                lambda u=user, r=record: requests.request_advance(actor=u, request=r, **step)
            )
            with transaction.atomic():
                by_api = client.post(
                    f"{API}/requests/{record.pk}/steps", step, content_type="application/json"
                )
                transaction.set_rollback(True)
            with transaction.atomic():
                by_page = client.post(f"/services/requests/{record.pk}/step/", step)
                transaction.set_rollback(True)
            assert by_row == by_service == (by_api.status_code == 200), (name, record.pk)
            assert by_row == (by_page.status_code == 302), (name, record.pk)
            expected = 200 if by_row else (403 if access.may_see_request(user, record) else 404)
            assert by_api.status_code == expected, (name, record.pk)


def test_a_clerks_grant_counts_only_at_their_departments(personas, desk, district):
    from dualtrack.areas.models import RoleGrant
    from dualtrack.core.errors import ValidationFailed
    from dualtrack.services.services import catalogue

    # A clerk over the district on one department's staff handles that one, not the town's.
    assert access.may_handle_department(desk.clerk, desk.department)
    assert not access.may_see_department(desk.clerk, desk.other_department)
    # Someone without the clerk's role over the area is never put on a department's staff.
    with pytest.raises(ValidationFailed) as refused:
        factories.department(
            personas.district_admin, district.root, name="区医保局", staff=[desk.other_clerk]
        )
    assert refused.value.errors[0]["field"] == "staff"
    assert not catalogue.Department.objects.filter(name="区医保局").exists()
    # The grant withdrawn, the membership alone shows nothing.
    RoleGrant.objects.filter(user=desk.clerk).delete()
    withdrawn = type(desk.clerk).objects.get(pk=desk.clerk.pk)  # a new request's user
    assert desk.department.staff.filter(pk=withdrawn.pk).exists()
    assert not access.may_see_department(withdrawn, desk.department)
