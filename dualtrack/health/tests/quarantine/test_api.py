"""The quarantine API: every route in scope (200/201), out of scope (404, the same body as a
missing id), for a role that lacks the action (403); bad input as problem+json in Chinese with
nothing written; the release notice, the export job, the person's own check; query counts."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dualtrack.areas.tests.factories import make_household, make_id_number, make_resident
from dualtrack.core.models import AuditAction, AuditEntry
from dualtrack.core.tests.helpers import accepted_job, problem_of, starting_jobs
from dualtrack.health.models import OrderChange, QuarantineCheck, QuarantineOrder, QuarantineSite
from dualtrack.health.services.quarantine_changes import order_release
from dualtrack.health.tests.quarantine.factories import make_order

API = "/api/health/quarantine"
MISSING = 999999


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def _rows():
    return (
        QuarantineOrder.objects.count(),
        QuarantineCheck.objects.count(),
        OrderChange.objects.count(),
        QuarantineSite.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def in_scope(client, personas):
    client.force_login(personas.village_cadre)
    return client


def _same(body):
    """A problem's body without the address it answers (which names the id asked for) and the
    request's id."""
    return {k: v for k, v in body.items() if k not in ("instance", "request_id")}


def _today_am():
    return {"day": timezone.localdate().isoformat(), "period": "am", "temperature": "36.5"}


# Each order route: (method, path suffix, body) — run by the village cadre on their own order
# (in scope), on another town's order (404, as a missing one), and by the commander (403).
ORDER_ROUTES = [
    ("get", "", None),
    ("get", "/checks", None),
    ("get", "/changes", None),
    ("post", "/checks", _today_am),
    (
        "post",
        "/extend",
        lambda: {
            "ends_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "reason": "复检",
        },
    ),
    ("post", "/end-early", lambda: {"reason": "身份有误"}),
    ("post", "/hospital", lambda: {"hospital": "区人民医院", "reason": "发热"}),
    ("post", "/move", lambda: {"kind": "home", "reason": "返家"}),
    ("post", "/release", lambda: {"reason": "期满"}),
    ("post", "/link", lambda: {"reason": "泄露", "renew": True}),
    ("get", "/notice.pdf", None),
]


def _call(client, method, url, body):
    if method == "get":
        return client.get(url)
    return _post(client, url, body() if body else {})


@pytest.mark.parametrize(("method", "suffix", "body"), ORDER_ROUTES)
def test_every_order_route_is_scoped(client, personas, home_order, far_order, method, suffix, body):
    client.force_login(personas.village_cadre)
    missing = _call(client, method, f"{API}/orders/{MISSING}{suffix}", body)
    far = _call(client, method, f"{API}/orders/{far_order.pk}{suffix}", body)
    assert missing.status_code == far.status_code == 404
    assert _same(missing.json()) == _same(far.json())
    assert far.json()["detail"] == "记录不存在，或不在您的管辖范围内。"
    mine = _call(client, method, f"{API}/orders/{home_order.pk}{suffix}", body)
    # In scope the route answers; a release before the end and a notice of an active order
    # are refused for what they are, not as out of sight.
    assert mine.status_code in {200, 201, 409, 422}, mine.content
    if method == "post":
        client.force_login(personas.commander)
        problem_of(
            _call(client, method, f"{API}/orders/{home_order.pk}{suffix}", body),
            403,
            "permission_denied",
        )


SITE_ROUTES: list[tuple[str, str, dict[str, object] | None]] = [
    ("get", "", None),
    ("get", "/occupancy", None),
    ("put", "", {"name": "新名", "rooms": 5, "capacity": 5}),
    ("put", "/staff", {"staff_ids": []}),
]


@pytest.mark.parametrize(("method", "suffix", "body"), SITE_ROUTES)
def test_every_site_route_is_scoped(client, personas, site, far_site, method, suffix, body):
    def call(url):
        return client.get(url) if method == "get" else _put(client, url, body)

    client.force_login(personas.town_officer)
    missing, far = (
        call(f"{API}/sites/{MISSING}{suffix}"),
        call(f"{API}/sites/{far_site.pk}{suffix}"),
    )
    assert missing.status_code == far.status_code == 404
    assert _same(missing.json()) == _same(far.json())
    assert call(f"{API}/sites/{site.pk}{suffix}").status_code == 200
    if method == "put":
        client.force_login(personas.commander)
        problem_of(call(f"{API}/sites/{site.pk}{suffix}"), 403, "permission_denied")


def test_place_a_resident_a_worker_and_a_visitor(in_scope, district, personas):
    household = make_household(actor=personas.district_admin, area=district.group)
    resident = make_resident(actor=personas.district_admin, household=household, name="陈七")
    body = {
        "kind": "home",
        "person_kind": "resident",
        "resident_id": resident.pk,
        "reason": "自武汉返回",
        "source": "screening",
        "last_exposure": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
    }
    response = _post(in_scope, f"{API}/orders", body)
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["name"] == "陈七" and order["area_id"] == district.group.pk
    assert order["id_number"] is None and "*" in order["id_number_masked"]
    visitor = {
        **body,
        "person_kind": "visitor",
        "resident_id": None,
        "area_id": district.village.pk,
        "name": "访客",
        "id_number": make_id_number(),
    }
    assert _post(in_scope, f"{API}/orders", visitor).status_code == 201


def test_bad_input_is_refused_in_chinese_and_writes_nothing(
    in_scope, client, district, personas, home_order, site, far_order
):
    household = make_household(actor=personas.district_admin, area=district.far_group)
    far_resident = make_resident(actor=personas.district_admin, household=household)
    before = _rows()
    # A second active order for the same person.
    again = {
        "kind": "home",
        "person_kind": "visitor",
        "area_id": district.village.pk,
        "name": "张家",
        "id_number": home_order.id_number,
        "reason": "重复",
        "source": "other",
        "last_exposure": timezone.localdate().isoformat(),
    }
    body = problem_of(_post(in_scope, f"{API}/orders", again), 409, "order_active")
    assert body["detail"] == "此人已有一份有效的隔离令。"
    # A person outside the user's scope: another town's resident, another town's area.
    outside = {**again, "person_kind": "resident", "resident_id": far_resident.pk}
    problem_of(_post(in_scope, f"{API}/orders", outside), 404, "not_found")
    outside = {**again, "area_id": district.far_village.pk, "id_number": make_id_number()}
    body = problem_of(_post(in_scope, f"{API}/orders", outside), 404, "not_found")
    assert body["errors"][0]["field"] == "area_id"
    # A check outside the order's period.
    late = {**_today_am(), "day": (home_order.ends_on + datetime.timedelta(days=1)).isoformat()}
    body = problem_of(
        _post(in_scope, f"{API}/orders/{home_order.pk}/checks", late), 422, "outside_period"
    )
    assert "在隔离期之外" in body["detail"]
    assert _rows() == before
    # A site over capacity.
    client.force_login(personas.town_officer)
    for _ in range(3):
        make_order(actor=personas.town_officer, area=district.village, kind="site", site=site)
    before = _rows()
    full = {**again, "id_number": make_id_number(), "kind": "site", "site_id": site.pk}
    body = problem_of(_post(client, f"{API}/orders", full), 409, "site_full")
    assert body["detail"] == "昌东镇集中隔离点已满：3 个床位均已占用。"
    body = problem_of(
        _put(client, f"{API}/sites/{site.pk}", {"name": site.name, "rooms": 3, "capacity": 2}),
        409,
        "capacity_below_occupancy",
    )
    assert body["errors"][0]["field"] == "capacity"
    assert _rows() == before


def test_unmasked_detail_is_audited_and_refused_without_the_right(client, personas, home_order):
    client.force_login(personas.village_cadre)
    response = client.get(f"{API}/orders/{home_order.pk}?unmasked=true")
    assert response.json()["id_number"] == home_order.id_number
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW_PERSONAL_DATA, target_id=str(home_order.pk)
    ).exists()
    client.force_login(personas.town_officer)
    problem_of(client.get(f"{API}/orders/{home_order.pk}?unmasked=true"), 403, "permission_denied")
    assert (
        client.get(f"{API}/orders/{home_order.pk}")
        .json()["check_url"]
        .endswith(f"/qc/{home_order.check_token}/")
    )


def test_release_notice_pdf(client, district, personas):
    order = make_order(
        actor=personas.village_cadre,
        area=district.village,
        last_exposure=timezone.localdate() - datetime.timedelta(days=20),
    )
    client.force_login(personas.village_cadre)
    problem_of(client.get(f"{API}/orders/{order.pk}/notice.pdf"), 409, "not_released")
    order_release(actor=personas.village_cadre, order=order, reason="期满")
    response = client.get(f"{API}/orders/{order.pk}/notice.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"JG{timezone.localdate():%Y}" in response["Content-Disposition"]


def test_export_job_for_unmasked_roles_only(client, personas, home_order, far_order):
    client.force_login(personas.town_officer)
    problem_of(_post(client, f"{API}/exports/orders", {}), 403, "permission_denied")
    client.force_login(personas.village_cadre)
    with starting_jobs():
        response = _post(client, f"{API}/exports/orders", {})
    job = accepted_job(client, response)
    sheet = load_workbook(io.BytesIO(client.get(job["result_url"]).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the cadre's own village's order only
    assert rows[1][2] == home_order.id_number
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW_PERSONAL_DATA,
        target_id=str(home_order.pk),
        actor=personas.village_cadre,
    ).exists()


def test_the_persons_own_check_without_an_account(client, home_order, settings):
    settings.QUARANTINE_SELF_CHECK_RATE = "2/d"
    url = f"{API}/public/checks/{home_order.check_token}"
    first = _post(client, url, {"temperature": "36.5"})
    assert first.status_code == 201, first.content
    problem_of(_post(client, url, {"temperature": "36.5"}), 409, "slot_checked")
    problem_of(_post(client, url, {"temperature": "36.5"}), 429, "too_many_requests")
    assert QuarantineCheck.objects.get().self_reported


def test_a_revoked_link_is_gone(client, personas, home_order):
    token = home_order.check_token
    client.force_login(personas.village_cadre)
    _post(client, f"{API}/orders/{home_order.pk}/link", {"reason": "泄露"})
    client.logout()
    problem_of(
        _post(client, f"{API}/public/checks/{token}", {"temperature": "36.5"}), 410, "link_not_live"
    )


def test_list_filters_and_query_count(
    client, district, personas, home_order, site_order, django_assert_max_num_queries
):
    for _ in range(5):
        make_order(actor=personas.town_officer, area=district.sibling_village)
    client.force_login(personas.town_officer)
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/orders")
    assert len(response.json()) == 7
    assert [o["id"] for o in client.get(f"{API}/orders?kind=site").json()] == [site_order.pk]
    assert client.get(f"{API}/orders?site_id={site_order.site_id}").json()[0]["id"] == site_order.pk
    ending = client.get(f"{API}/orders?ending_within=60").json()
    assert len(ending) == 7
    with django_assert_max_num_queries(8):
        sites = client.get(f"{API}/sites")
    assert [s["name"] for s in sites.json()] == ["昌东镇集中隔离点"]
    assert sites.json()[0]["occupied"] == 1


def test_create_a_site_with_staff(client, district, personas, site_staff):
    client.force_login(personas.town_officer)
    body = {
        "area_id": district.town.pk,
        "name": "第二隔离点",
        "rooms": 10,
        "capacity": 12,
        "staff_ids": [site_staff.pk],
    }
    response = _post(client, f"{API}/sites", body)
    assert response.status_code == 201, response.content
    assert response.json()["staff_ids"] == [site_staff.pk]
    far = {**body, "area_id": district.other_town.pk, "name": "外镇", "staff_ids": []}
    problem_of(_post(client, f"{API}/sites", far), 404, "not_found")
    body = problem_of(
        _post(
            client, f"{API}/sites", {**body, "name": "第三", "staff_ids": [personas.outsider.pk]}
        ),
        404,
        "not_found",
    )
    assert body["errors"][0]["field"] == "staff_ids"


def test_a_resident_found_by_the_whole_id_number_in_scope_only(in_scope, district, personas):
    mine = make_resident(
        actor=personas.district_admin,
        household=make_household(actor=personas.district_admin, area=district.group),
        name="号码找",
    )
    far = make_resident(
        actor=personas.district_admin,
        household=make_household(actor=personas.district_admin, area=district.far_group),
    )
    body = {
        "kind": "home",
        "person_kind": "resident",
        "id_number": mine.id_number,
        "reason": "密接",
        "source": "contact",
        "last_exposure": timezone.localdate().isoformat(),
    }
    response = _post(in_scope, f"{API}/orders", body)
    assert response.status_code == 201, response.content
    assert response.json()["resident_id"] == mine.pk
    problem_of(
        _post(in_scope, f"{API}/orders", {**body, "id_number": far.id_number}), 404, "not_found"
    )
    body = problem_of(
        _post(in_scope, f"{API}/orders", {**body, "id_number": make_id_number()}),
        422,
        "no_such_resident",
    )
    assert body["detail"] == "本区居民中没有此身份证号，请按外来人员登记。"
