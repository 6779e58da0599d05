"""The employment pages of staff and enterprises: each route in scope 200, out of scope 404, a
role without the action 403; forms refuse bad input with a message and write nothing; the
application's steps on its page; the figures, the contribution, the history and the admin."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dualtrack.core.platform import figures_for
from dualtrack.enterprises.models import Employee
from dualtrack.jobs.models import Application, ApplicationStatus, Fair, Introducer, Posting

from .factories import apply, hire, id_number, offer

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_page_answers_by_scope(recruiting, personas):
    application = apply(recruiting.far_posting, 1)
    pages = {
        "/employment/": (200, 200, 200, 404),
        f"/employment/fairs/{recruiting.fair.pk}/": (200, 200, 200, 404),
        "/employment/fairs/new/": (200, 403, 403, 404),
        "/employment/postings/": (200, 200, 200, 404),
        "/employment/postings/new/": (200, 403, 200, 404),
        f"/employment/postings/{recruiting.far_posting.pk}/": (200, 404, 404, 404),
        f"/employment/applications/{application.pk}/": (200, 404, 404, 404),
        "/employment/introducers/": (200, 404, 404, 404),
        "/employment/introducers/new/": (200, 404, 404, 404),
        "/employment/figures/": (200, 200, 200, 404),
    }
    users = (recruiting.group, personas.town_officer, recruiting.ent_user, personas.outsider)
    for url, expected in pages.items():
        got = tuple(_client(u).get(url).status_code for u in users)
        assert got == expected, url
    missing = _client(recruiting.group).get("/employment/applications/999999/")
    assert missing.status_code == 404


def test_the_enterprise_takes_an_applicant_to_a_hire_on_its_pages(recruiting):
    application = apply(recruiting.posting)
    client = _client(recruiting.ent_user)
    base = f"/employment/applications/{application.pk}"
    assert client.post(f"{base}/screen/", {"note": ""}).status_code == 302
    refused = client.post(f"{base}/invite/", {"mode": "online", "at": "2026-12-10T09:30"})
    assert refused.status_code == 422
    assert (
        "请以 https:// 地址填写视频链接" in refused.content.decode()
        or "此项为必填项" in refused.content.decode()
    )
    invited = client.post(
        f"{base}/invite/",
        {"mode": "online", "at": "2026-12-10T09:30", "link": "https://m.example.cn/1"},
    )
    assert invited.status_code == 302
    assert client.post(f"{base}/offer/", {}).status_code == 302
    early = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    before = client.post(f"{base}/hire/", {"start_date": early, "contract_kind": "open_ended"})
    assert before.status_code == 422
    assert "入职日期早于录用通知日期" in before.content.decode()
    assert not Employee.objects.exists()
    done = client.post(
        f"{base}/hire/",
        {
            "start_date": timezone.localdate().isoformat(),
            "contract_kind": "fixed_term",
            "contract_months": "12",
        },
    )
    assert done.status_code == 302
    page = client.get(f"{base}/").content.decode()
    assert 'data-testid="on-roster"' in page
    roster = client.get("/portal/roster/").content.decode()
    assert application.applicant.name in roster
    # A hired application takes no further step.
    assert client.post(f"{base}/reject/", {"reason": "x"}).status_code == 409


def test_a_town_officer_may_not_take_steps(recruiting, personas):
    application = apply(recruiting.posting)
    answer = _client(personas.town_officer).post(
        f"/employment/applications/{application.pk}/screen/", {"note": ""}
    )
    assert answer.status_code == 403
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_the_group_opens_a_fair_with_its_enterprises(recruiting, enterprise):
    client = _client(recruiting.group)
    today = timezone.localdate()
    bad = client.post(
        "/employment/fairs/new/",
        {"title": "x", "starts_on": today, "ends_on": today, "credit_codes": "91360100MA38N6UWXX"},
    )
    assert bad.status_code == 422
    assert "91360100MA38N6UWXX" in bad.content.decode()
    backwards = client.post(
        "/employment/fairs/new/",
        {"title": "x", "starts_on": today, "ends_on": today - datetime.timedelta(days=1)},
    )
    assert backwards.status_code == 422
    assert Fair.objects.count() == 1
    made = client.post(
        "/employment/fairs/new/",
        {
            "title": "新招聘会",
            "starts_on": today,
            "ends_on": today,
            "credit_codes": enterprise.credit_code,
        },
    )
    assert made.status_code == 302
    fair = Fair.objects.get(title="新招聘会")
    assert list(fair.enterprises.all()) == [enterprise]
    assert client.post(f"/employment/fairs/{fair.pk}/close/").status_code == 302
    assert client.post(f"/employment/fairs/{fair.pk}/close/").status_code == 302  # said, not 500


def test_an_enterprise_posts_a_vacancy(recruiting, enterprise):
    client = _client(recruiting.ent_user)
    form = {
        "enterprise": enterprise.pk,
        "fair": recruiting.fair.pk,
        "title": "质检员",
        "positions": 2,
        "pay_min": 5000,
        "pay_max": 4000,
        "place": "高新大道1号",
        "contact_name": "李",
        "contact_phone": "13900139000",
    }
    refused = client.post("/employment/postings/new/", form)
    assert refused.status_code == 422
    assert "月薪上限低于下限" in refused.content.decode()
    made = client.post("/employment/postings/new/", {**form, "pay_max": 6000})
    assert made.status_code == 302
    posting = Posting.objects.get(title="质检员")
    assert posting.town == enterprise.area
    other = client.post(
        "/employment/postings/new/", {**form, "enterprise": recruiting.far_enterprise.pk}
    )
    assert other.status_code == 422  # not among its choices
    assert client.post(f"/employment/postings/{posting.pk}/close/").status_code == 302
    assert Posting.objects.get(pk=posting.pk).status == "closed"


def test_introducers_on_their_pages(recruiting):
    client = _client(recruiting.group)
    bad = client.post(
        "/employment/introducers/new/",
        {"kind": "person", "name": "王", "mobile": "13700137000", "id_number": "123"},
    )
    assert bad.status_code == 422
    made = client.post(
        "/employment/introducers/new/",
        {"kind": "person", "name": "王介绍", "mobile": "13700137000", "id_number": id_number(900)},
    )
    assert made.status_code == 302
    introducer = Introducer.objects.get()
    hire(recruiting.ent_user, apply(recruiting.posting, 1, introducer_code=introducer.code))
    page = client.get(f"/employment/introducers/{introducer.pk}/").content.decode()
    assert 'data-testid="qualifying">1<' in page
    assert recruiting.enterprise.name in page


def test_an_introducer_registers_themselves_with_the_code(recruiting):
    import re

    client = Client()
    answer = client.post(
        "/fairs/introducers/register/",
        {"kind": "person", "name": "自荐人", "mobile": "13700137002", "id_number": id_number(901)},
    )
    html = answer.content.decode()
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    code = re.search(r"<strong>(\d{6})</strong>", html).group(1)
    assert not Introducer.objects.get().active
    done = client.post("/fairs/introducers/verify/", {"key": key, "code": code})
    assert done.status_code == 200
    assert Introducer.objects.get().active
    assert Introducer.objects.get().code in done.content.decode()
    again = client.post(
        "/fairs/introducers/register/",
        {"kind": "person", "name": "自荐人", "mobile": "13700137002", "id_number": id_number(901)},
    )
    assert again.status_code == 422
    assert "已登记为介绍人" in again.content.decode()


def test_the_figures_page_and_the_boards_figures(recruiting, personas):
    hire(recruiting.ent_user, apply(recruiting.posting, 1))
    apply(recruiting.far_posting, 2)
    page = _client(personas.town_officer).get("/employment/figures/").content.decode()
    assert 'data-testid="fig-applications">1<' in page
    assert 'data-testid="fig-hires">1<' in page
    today = timezone.localdate()
    board = {
        f.key: f.value
        for f in figures_for(user=recruiting.group, day=today)
        if f.key.startswith("jobs.")
    }
    assert board == {"jobs.applications": 2, "jobs.hires": 1}
    town = {
        f.key: f.value
        for f in figures_for(user=personas.town_officer, day=today)
        if f.key.startswith("jobs.")
    }
    assert town == {"jobs.applications": 1, "jobs.hires": 1}
    assert not [
        f for f in figures_for(user=personas.outsider, day=today) if f.key.startswith("jobs.")
    ]


def test_an_applications_history_is_read_in_its_town_only(recruiting, personas):
    application = offer(recruiting.ent_user, apply(recruiting.posting))
    far = apply(recruiting.far_posting, 2)
    client = _client(personas.town_officer)
    assert (
        client.get(
            reverse("audit_history", args=["jobs", "application", application.pk])
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("audit_history", args=["jobs", "application", far.pk])).status_code
        == 404
    )


def test_the_admin_is_scoped(recruiting, personas):
    personas.town_officer.is_staff = True
    personas.town_officer.save()
    client = _client(personas.town_officer)
    listing = client.get(reverse("admin:jobs_posting_changelist"))
    assert [p.pk for p in listing.context["cl"].result_list] == [recruiting.posting.pk]
    far = client.get(reverse("admin:jobs_posting_change", args=[recruiting.far_posting.pk]))
    assert far.status_code == 404


def test_the_posting_forms_enterprise_select_reads_ids_and_names_only(recruiting, enterprise):
    """A district's thousands of enterprises: the select reads what it shows, not whole rows
    (whose contact phones would be decrypted one by one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = _client(recruiting.group).get("/employment/postings/new/").content.decode()
    assert enterprise.name in page
    reads = [
        q["sql"] for q in queries.captured_queries if 'FROM "enterprises_enterprise"' in q["sql"]
    ]
    assert reads and not any('"contact_phone"' in sql for sql in reads)
