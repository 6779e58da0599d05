"""The cases API: every route scoped (in sight 200, out of sight 404 as missing, a role lacking
the action 403), problem+json refusals in Chinese that write nothing."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from dualtrack.core.models import AuditAction, AuditEntry
from dualtrack.core.tests.helpers import accepted_job, problem_of, starting_jobs
from dualtrack.health.models import Case, Contact, ContactSearch, QuarantineOrder
from dualtrack.health.services.contacts import contact_search
from dualtrack.health.tests.cases.factories import days_ago, make_case

pytestmark = pytest.mark.django_db

API = "/api/health"
MISSING = 999_999


def _post(client, url, body):
    return client.post(f"{API}{url}", body, content_type="application/json")


def _put(client, url, body):
    return client.put(f"{API}{url}", body, content_type="application/json")


def _body(area_id, **changes):
    body = {
        "classification": "confirmed",
        "report_date": days_ago(1).isoformat(),
        "origin": "local",
        "name": "刘某",
        "gender": "M",
        "age": 40,
        "area_id": area_id,
        "onset_date": days_ago(3).isoformat(),
    }
    body.update(changes)
    return body


def _same(problem):
    return {k: v for k, v in problem.items() if k != "instance"}


@pytest.fixture
def far_case(district, personas):
    return make_case(actor=personas.district_admin, area=district.far_group, name="远方")


def test_create_list_get_update_reclassify(client, district, prevention):
    client.force_login(prevention)
    created = _post(client, "/cases", _body(district.village.pk))
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    assert created.json()["id_number"] is None
    listed = client.get(f"{API}/cases?classification=confirmed").json()
    assert [c["id"] for c in listed] == [case_id]
    updated = _put(client, f"/cases/{case_id}", _body(district.village.pk, note="住院"))
    assert updated.status_code == 200 and updated.json()["note"] == "住院"
    changed = _post(
        client,
        f"/cases/{case_id}/classification",
        {"classification": "recovered", "reason": "出院"},
    )
    assert changed.json()["classification"] == "recovered"
    detail = client.get(f"{API}/cases/{case_id}").json()
    assert [h["classification"] for h in detail["history"]] == ["confirmed", "recovered"]


def test_onset_after_report_is_a_chinese_problem_and_writes_nothing(client, district, prevention):
    client.force_login(prevention)
    body = _body(district.village.pk, onset_date=days_ago(0).isoformat())
    problem = problem_of(
        client.post(
            f"{API}/cases", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
        ),
        422,
        "onset_after_report",
    )
    assert problem["errors"][0]["field"] == "onset_date"
    assert "发病" in problem["detail"] or "发病" in problem["errors"][0]["message"]
    assert not Case.objects.exists()


def test_case_out_of_sight_is_404_like_a_missing_one(client, far_case, personas):
    client.force_login(personas.village_cadre)
    missing = problem_of(client.get(f"{API}/cases/{MISSING}"), 404, "not_found")
    hidden = problem_of(client.get(f"{API}/cases/{far_case.pk}"), 404, "not_found")
    assert _same(missing) == _same(hidden)
    for url in (f"/cases/{far_case.pk}/contacts", f"/cases/{far_case.pk}/searches"):
        problem_of(client.get(f"{API}{url}"), 404, "not_found")
    problem_of(_post(client, f"/cases/{far_case.pk}/searches", {"reason": "x"}), 404, "not_found")
    problem_of(
        _post(
            client,
            f"/cases/{far_case.pk}/classification",
            {"classification": "died", "reason": "x"},
        ),
        404,
        "not_found",
    )
    problem_of(_put(client, f"/cases/{far_case.pk}", _body(far_case.area_id)), 404, "not_found")
    assert far_case.pk not in {c["id"] for c in client.get(f"{API}/cases").json()}


def test_roles_without_manage_cases_get_403(client, district, personas):
    case = make_case(actor=personas.district_admin, area=district.group)
    client.force_login(personas.town_officer)
    assert client.get(f"{API}/cases/{case.pk}").status_code == 200
    problem_of(_post(client, "/cases", _body(district.village.pk)), 403, "permission_denied")
    problem_of(
        _put(client, f"/cases/{case.pk}", _body(district.village.pk)), 403, "permission_denied"
    )
    problem_of(
        _post(
            client, f"/cases/{case.pk}/classification", {"classification": "died", "reason": "x"}
        ),
        403,
        "permission_denied",
    )


def test_search_refused_without_manage_cases_and_audited_when_run(
    client, cluster, personas, prevention
):
    client.force_login(personas.town_officer)
    problem_of(
        _post(client, f"/cases/{cluster.case.pk}/searches", {"reason": "查"}),
        403,
        "permission_denied",
    )
    assert not ContactSearch.objects.exists()
    client.force_login(prevention)
    ran = _post(client, f"/cases/{cluster.case.pk}/searches", {"reason": "流调"})
    assert ran.status_code == 201, ran.content
    assert ran.json()["found"] == 3
    assert AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(ContactSearch),
        target_id=str(ran.json()["id"]),
        actor=prevention,
        note="流调",
    ).exists()
    listed = client.get(f"{API}/cases/{cluster.case.pk}/searches").json()
    assert [s["reason"] for s in listed] == ["流调"]


def test_search_without_reason_is_a_problem(client, cluster, prevention):
    client.force_login(prevention)
    problem = problem_of(
        _post(client, f"/cases/{cluster.case.pk}/searches", {"reason": ""}), 422, "reason_required"
    )
    assert problem["errors"][0]["field"] == "reason"
    assert not ContactSearch.objects.exists() and not Contact.objects.exists()


def test_contacts_masked_unless_unmasked_role(client, cluster, prevention, personas):
    contact_search(actor=prevention, case=cluster.case, reason="流调")
    client.force_login(prevention)
    rows = client.get(f"{API}/cases/{cluster.case.pk}/contacts").json()
    assert [r["name"] for r in rows] == ["陈密接", "孙手机", "赵一般"]
    assert all(r["id_number"] is None for r in rows)
    assert "*" in rows[0]["id_number_masked"]
    # The prevention group may not see numbers: asking is refused, and nothing is recorded.
    problem_of(
        client.get(f"{API}/cases/{cluster.case.pk}/contacts?unmasked=true"),
        403,
        "permission_denied",
    )
    client.force_login(personas.district_admin)
    rows = client.get(f"{API}/cases/{cluster.case.pk}/contacts?unmasked=true").json()
    assert rows[0]["id_number"] == cluster.close_id
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.VIEW_PERSONAL_DATA, actor=personas.district_admin
        ).count()
        == 3
    )


def test_case_unmasked_is_audited(client, cluster, personas):
    client.force_login(personas.village_cadre)
    got = client.get(f"{API}/cases/{cluster.case.pk}?unmasked=true")
    assert got.status_code == 200 and got.json()["id_number"]
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW_PERSONAL_DATA, target_id=str(cluster.case.pk)
    ).exists()


def test_contact_routes_scoped(client, cluster, prevention, personas, district):
    contact_search(actor=prevention, case=cluster.case, reason="流调")
    Case.objects.filter(pk=cluster.case.pk).update(area=district.far_group)
    mine = Contact.objects.get(name="陈密接")
    far = Contact.objects.get(name="赵一般")
    client.force_login(personas.village_cadre)
    assert [r["name"] for r in client.get(f"{API}/cases/{cluster.case.pk}/contacts").json()] == [
        "陈密接",
        "孙手机",
    ]
    assert client.get(f"{API}/cases/contacts/{mine.pk}").status_code == 200
    missing = problem_of(client.get(f"{API}/cases/contacts/{MISSING}"), 404, "not_found")
    hidden = problem_of(client.get(f"{API}/cases/contacts/{far.pk}"), 404, "not_found")
    assert _same(hidden) == _same(missing)
    problem_of(
        _post(client, f"/cases/contacts/{far.pk}/status", {"status": "close"}), 404, "not_found"
    )
    problem_of(_post(client, f"/cases/contacts/{far.pk}/quarantine", {}), 404, "not_found")
    confirmed = _post(client, f"/cases/contacts/{mine.pk}/status", {"status": "close"})
    assert confirmed.json()["status"] == "close"
    # Checkpoint staff see the contacts of their village but may not confirm them.
    client.force_login(personas.checkpoint_staff)
    problem_of(
        _post(client, f"/cases/contacts/{mine.pk}/status", {"status": "possible"}),
        403,
        "permission_denied",
    )


def test_quarantine_in_one_click_and_refused_twice(client, cluster, prevention):
    contact_search(actor=prevention, case=cluster.case, reason="流调")
    contact = Contact.objects.get(name="陈密接")
    client.force_login(prevention)
    placed = _post(client, f"/cases/contacts/{contact.pk}/quarantine", {})
    assert placed.status_code == 200, placed.content
    assert placed.json()["quarantine_order_id"] == QuarantineOrder.objects.get().pk
    again = problem_of(
        client.post(
            f"{API}/cases/contacts/{contact.pk}/quarantine",
            {},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ),
        409,
        "order_active",
    )
    assert "隔离" in again["detail"]
    assert QuarantineOrder.objects.count() == 1


def test_figures(client, cluster, prevention, personas):
    client.force_login(prevention)
    body = client.get(f"{API}/cases/figures").json()
    assert sum(a["confirmed"] for a in body["by_area"]) == 1
    assert sum(body["curve"]["onset"]) == 1 and sum(body["curve"]["report"]) == 1
    client.force_login(personas.town_officer)  # 昌东镇: the case's town
    assert client.get(f"{API}/cases/figures").json()["by_area"][0]["confirmed"] == 1
    client.force_login(personas.outsider)
    body = client.get(f"{API}/cases/figures").json()
    assert body["by_area"] == [] and sum(body["curve"]["report"]) == 0


def test_export_for_unmasked_roles_only(client, cluster, personas, prevention):
    client.force_login(prevention)
    body = {"since": days_ago(10).isoformat(), "until": days_ago(0).isoformat()}
    problem_of(_post(client, "/cases/export", body), 403, "permission_denied")
    client.force_login(personas.district_admin)
    with starting_jobs():
        started = _post(client, "/cases/export", body)
    job = accepted_job(client, started)
    assert job["state"] == "done", job
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW_PERSONAL_DATA,
        target_id=str(cluster.case.pk),
        note__startswith="line list export",
    ).exists()


def test_list_query_count(client, district, prevention, django_assert_max_num_queries):
    for _ in range(5):
        make_case(actor=prevention, area=district.group)
    client.force_login(prevention)
    with django_assert_max_num_queries(8):
        assert len(client.get(f"{API}/cases").json()) == 5
