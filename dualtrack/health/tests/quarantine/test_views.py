"""Quarantine's pages: every route in scope, out of scope (404 as a missing id), for a role that
lacks the action (403); refused forms shown again with their Chinese errors (422) and nothing
written; the new-order form prefilled from an alert; the person's own check page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dualtrack.areas.tests.factories import make_id_number
from dualtrack.core.models import AuditAction, AuditEntry
from dualtrack.health.models import (
    AlertKind,
    AlertOutcome,
    HealthAlert,
    QuarantineCheck,
    QuarantineOrder,
)
from dualtrack.health.services.alerts import alert_raise
from dualtrack.health.services.quarantine_changes import order_link_revoke, order_release
from dualtrack.health.tests.quarantine.factories import make_order

MISSING = 999999

ORDER_POSTS = [
    (
        "quarantine_check_create",
        lambda: {"day": timezone.localdate().isoformat(), "period": "am", "temperature": "36.5"},
    ),
    (
        "quarantine_order_extend",
        lambda: {
            "ends_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "reason": "复检",
        },
    ),
    ("quarantine_order_end_early", lambda: {"end-reason": "身份有误"}),
    ("quarantine_order_hospital", lambda: {"hospital": "区人民医院", "reason": "发热"}),
    ("quarantine_order_move", lambda: {"kind": "home", "reason": "返家"}),
    ("quarantine_order_release", lambda: {"release-reason": "期满"}),
    ("quarantine_order_link", lambda: {"reason": "泄露"}),
    ("quarantine_order_reveal", dict),
]


@pytest.mark.parametrize("name", ["quarantine_order_detail", "quarantine_order_notice"])
def test_order_pages_are_scoped(client, personas, home_order, far_order, name):
    client.force_login(personas.village_cadre)
    missing = client.get(reverse(name, args=[MISSING]))
    far = client.get(reverse(name, args=[far_order.pk]))
    assert missing.status_code == far.status_code == 404
    mine = client.get(reverse(name, args=[home_order.pk]))
    # An order not yet released has no notice.
    assert mine.status_code == (200 if name == "quarantine_order_detail" else 404)


@pytest.mark.parametrize(("name", "body"), ORDER_POSTS)
def test_order_forms_are_scoped(client, personas, home_order, far_order, name, body):
    client.force_login(personas.village_cadre)
    assert client.post(reverse(name, args=[far_order.pk]), body()).status_code == 404
    assert client.post(reverse(name, args=[MISSING]), body()).status_code == 404
    mine = client.post(reverse(name, args=[home_order.pk]), body())
    assert mine.status_code in {200, 302, 422}
    client.force_login(personas.commander)
    assert client.post(reverse(name, args=[home_order.pk]), body()).status_code == 403


@pytest.mark.parametrize("name", ["quarantine_site_detail"])
def test_site_pages_are_scoped(client, personas, site, far_site, site_staff, name):
    client.force_login(site_staff)
    assert client.get(reverse(name, args=[far_site.pk])).status_code == 404
    assert client.get(reverse(name, args=[MISSING])).status_code == 404
    assert client.get(reverse(name, args=[site.pk])).status_code == 200


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("quarantine_site_edit", {"name": "新名", "rooms": 3, "capacity": 3, "is_open": "on"}),
        ("quarantine_site_staff", {"users": []}),
    ],
)
def test_site_forms_are_scoped(client, personas, site, far_site, name, body):
    client.force_login(personas.town_officer)
    assert client.post(reverse(name, args=[far_site.pk]), body).status_code == 404
    assert client.post(reverse(name, args=[site.pk]), body).status_code == 302
    client.force_login(personas.commander)
    assert client.post(reverse(name, args=[site.pk]), body).status_code == 403


def test_lists_and_new_forms_for_those_who_may(client, personas, home_order, site):
    client.force_login(personas.commander)
    assert client.get(reverse("quarantine_order_list")).status_code == 200
    assert client.get(reverse("quarantine_site_list")).status_code == 200
    assert client.get(reverse("quarantine_order_new")).status_code == 404
    assert client.get(reverse("quarantine_site_new")).status_code == 404
    client.force_login(personas.village_cadre)
    assert client.get(reverse("quarantine_order_new")).status_code == 200


def test_new_order_prefilled_from_an_alert_closes_it(client, district, personas, liaison):
    alert = alert_raise(
        actor=None,
        kind=AlertKind.RISK_RETURN,
        area=district.village,
        name="赵六",
        detail="自湖北返回",
        proposed="home",
    )
    client.force_login(personas.village_cadre)
    page = client.get(reverse("quarantine_order_new") + f"?alert={alert.pk}")
    html = page.content.decode()
    assert 'value="赵六"' in html and f'name="alert" value="{alert.pk}"' in html
    response = client.post(
        reverse("quarantine_order_new"),
        {
            "person_kind": "visitor",
            "area": district.village.pk,
            "name": "赵六",
            "id_number": make_id_number(),
            "kind": "home",
            "reason": "自湖北返回",
            "source": "checkpoint",
            "last_exposure": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "alert": alert.pk,
        },
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.outcome == AlertOutcome.QUARANTINED and alert.order is not None
    # Another village's alert, or one handled already, is not found.
    assert client.get(reverse("quarantine_order_new") + f"?alert={alert.pk}").status_code == 404


def test_refused_forms_say_why_in_chinese_and_write_nothing(
    client, district, personas, home_order, far_order
):
    client.force_login(personas.village_cadre)
    before = QuarantineOrder.objects.count(), QuarantineCheck.objects.count()
    response = client.post(
        reverse("quarantine_order_new"),
        {
            "person_kind": "visitor",
            "area": district.village.pk,
            "name": "张家",
            "id_number": home_order.id_number,
            "kind": "home",
            "reason": "x",
            "source": "other",
            "last_exposure": timezone.localdate().isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "此人已有一份有效的隔离令。" in response.content.decode()
    response = client.post(
        reverse("quarantine_order_new"),
        {
            "person_kind": "resident",
            "resident_id": MISSING,
            "kind": "home",
            "reason": "x",
            "source": "other",
            "last_exposure": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "记录不存在，或不在您的管辖范围内。" in response.content.decode()
    late = (home_order.ends_on + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("quarantine_check_create", args=[home_order.pk]),
        {"day": late, "period": "am", "temperature": "36.5"},
    )
    assert response.status_code == 422
    assert "在隔离期之外" in response.content.decode()
    assert (QuarantineOrder.objects.count(), QuarantineCheck.objects.count()) == before


def test_reveal_is_audited(client, personas, home_order):
    client.force_login(personas.village_cadre)
    response = client.post(reverse("quarantine_order_reveal", args=[home_order.pk]))
    assert home_order.id_number in response.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW_PERSONAL_DATA, target_id=str(home_order.pk)
    ).exists()
    client.force_login(personas.town_officer)
    detail = client.get(reverse("quarantine_order_detail", args=[home_order.pk])).content
    assert home_order.id_number not in detail.decode()
    assert client.post(reverse("quarantine_order_reveal", args=[home_order.pk])).status_code == 403


def test_release_and_notice_download(client, district, personas):
    order = make_order(
        actor=personas.village_cadre,
        area=district.village,
        last_exposure=timezone.localdate() - datetime.timedelta(days=20),
    )
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("quarantine_order_release", args=[order.pk]), {"release-reason": "期满解除"}
    )
    assert response.status_code == 302
    pdf = client.get(reverse("quarantine_order_notice", args=[order.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_own_check_page_works_without_an_account(client, home_order, personas):
    url = reverse("quarantine_self_check", args=[home_order.check_token])
    page = client.get(url)
    assert page.status_code == 200 and "隔离健康监测填报" in page.content.decode()
    done = client.post(url, {"temperature": "36.6"})
    assert done.status_code == 200 and "已记录" in done.content.decode()
    again = client.post(url, {"temperature": "36.6"})
    assert again.status_code == 409 and "已记录" in again.content.decode()
    bad = client.post(url, {"temperature": "50"})
    assert bad.status_code == 422
    order_link_revoke(actor=personas.village_cadre, order=home_order, reason="泄露")
    assert client.get(url).status_code == 410
    assert client.post(url, {"temperature": "36.6"}).status_code == 410
    assert QuarantineCheck.objects.count() == 1


def test_the_own_check_page_is_rate_limited(client, home_order, settings):
    settings.QUARANTINE_SELF_CHECK_RATE = "1/d"
    url = reverse("quarantine_self_check", args=[home_order.check_token])
    client.post(url, {"temperature": "36.6"})
    assert client.post(url, {"temperature": "36.6"}).status_code == 429


def test_a_released_order_has_no_forms(client, district, personas):
    order = make_order(
        actor=personas.village_cadre,
        area=district.village,
        last_exposure=timezone.localdate() - datetime.timedelta(days=20),
    )
    order_release(actor=personas.village_cadre, order=order, reason="期满")
    client.force_login(personas.village_cadre)
    html = client.get(reverse("quarantine_order_detail", args=[order.pk])).content.decode()
    assert 'data-testid="notice-pdf"' in html and "action-move" not in html
    assert HealthAlert.objects.count() == 0


def test_the_export_page_starts_a_job_for_unmasked_roles_only(client, personas, home_order):
    client.force_login(personas.town_officer)
    page = client.get(reverse("quarantine_order_export"))
    assert "只有可查看完整身份证号的角色才能导出隔离令。" in page.content.decode()
    assert client.post(reverse("quarantine_order_export"), {}).status_code == 403
    client.force_login(personas.village_cadre)
    response = client.post(reverse("quarantine_order_export"), {"status": "active"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")


def test_the_list_page_filters_and_counts_its_queries(
    client, district, personas, home_order, site_order, django_assert_max_num_queries
):
    for _ in range(6):
        make_order(actor=personas.town_officer, area=district.sibling_village)
    client.force_login(personas.town_officer)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("quarantine_order_list"))
    assert page.content.decode().count("data-order=") == 8
    sites = client.get(reverse("quarantine_order_list") + "?kind=site", HTTP_HX_REQUEST="true")
    assert sites.content.decode().count("data-order=") == 1
    assert "<html" not in sites.content.decode()


def test_the_list_shows_each_line_from_one_read_of_its_columns(
    client, district, personas, home_order, site_order, site
):
    """Each line: the order's link, name, village, kind (and site), period, status and missed
    checks; the statements do not grow with the lines, and the person's encrypted numbers are
    not read (let alone decrypted) for a list that does not show them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    placed = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time()))
    QuarantineOrder.objects.filter(pk=home_order.pk).update(created_at=placed, starts_on=yesterday)
    home_order.refresh_from_db()
    client.force_login(personas.town_officer)

    def listed() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("quarantine_order_list"))
        assert page.status_code == 200
        return page.content.decode(), [q["sql"] for q in queries.captured_queries]

    page, few = listed()
    home = page[page.index(f'data-order="{home_order.pk}"') :].split("</tr>")[0]
    detail = reverse("quarantine_order_detail", args=[home_order.pk])
    assert f'<a href="{detail}">张家</a>' in home
    assert district.village.name in home and "居家隔离" in home
    assert f"{yesterday:%Y-%m-%d} – {home_order.ends_on:%Y-%m-%d}" in home
    assert "badge-warn" in home and 'data-testid="missed"' in home
    line = page[page.index(f'data-order="{site_order.pk}"') :].split("</tr>")[0]
    assert f"集中隔离 · {site.name}" in line and 'data-testid="missed"' not in line
    for _ in range(5):
        make_order(actor=personas.town_officer, area=district.sibling_village)
    page, more = listed()
    assert page.count("data-order=") == 7
    assert len(more) == len(few)
    orders = [sql for sql in more if 'FROM "health_quarantineorder"' in sql]
    assert orders and not any('"id_number"' in sql or '"phone"' in sql for sql in orders)
