"""The line list's and contacts' pages: scoped, forms refusing bad input visibly (422, also on
htmx requests), htmx rows for confirm and quarantine."""

from __future__ import annotations

import pytest

from dualtrack.core.models import AuditAction, AuditEntry
from dualtrack.core.tests.helpers import followed_job, starting_jobs
from dualtrack.health.models import Case, Contact, ContactSearch, QuarantineOrder
from dualtrack.health.services.contacts import contact_search
from dualtrack.health.tests.cases.factories import days_ago, make_case

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _form(area_id, **changes):
    data = {
        "classification": "confirmed",
        "report_date": days_ago(1).isoformat(),
        "origin": "local",
        "name": "刘某",
        "gender": "M",
        "age": "40",
        "area": str(area_id),
        "onset_date": days_ago(3).isoformat(),
    }
    data.update(changes)
    return data


def test_list_page_with_counts_curve_and_filters(client, district, prevention):
    make_case(actor=prevention, area=district.group, name="甲")
    make_case(actor=prevention, area=district.group, name="乙", classification="suspected")
    client.force_login(prevention)
    page = client.get("/health/cases/").content.decode()
    assert "case-curve-data" in page and 'data-testid="case-counts"' in page
    rows = client.get("/health/cases/?classification=suspected", HTTP_HX_TARGET="case-rows", **HTMX)
    body = rows.content.decode()
    assert "乙" in body and "甲" not in body and "<html" not in body


def test_new_case_and_bad_dates(client, district, prevention):
    client.force_login(prevention)
    bad = client.post(
        "/health/cases/new/", _form(district.village.pk, onset_date=days_ago(0).isoformat()), **HTMX
    )
    assert bad.status_code == 422
    assert "晚于报告日期" in bad.content.decode()
    assert not Case.objects.exists()
    done = client.post("/health/cases/new/", _form(district.village.pk))
    case = Case.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/health/cases/{case.pk}/"


def test_pages_scoped(client, district, personas, prevention):
    far = make_case(actor=prevention, area=district.far_group)
    client.force_login(personas.village_cadre)
    assert client.get(f"/health/cases/{far.pk}/").status_code == 404
    assert client.get(f"/health/cases/{far.pk}/edit/").status_code == 404
    assert client.post(f"/health/cases/{far.pk}/searches/", {"reason": "x"}).status_code == 404
    assert client.get("/health/cases/new/").status_code == 403
    mine = make_case(actor=prevention, area=district.group)
    assert client.get(f"/health/cases/{mine.pk}/").status_code == 200
    assert client.get(f"/health/cases/{mine.pk}/edit/").status_code == 403
    assert (
        client.post(
            f"/health/cases/{mine.pk}/searches/",
            {"reason": "x", "tolerance_minutes": 15, "days_before": 2},
        ).status_code
        == 403
    )
    assert not ContactSearch.objects.exists()


def test_edit_and_reclassify(client, district, prevention):
    case = make_case(actor=prevention, area=district.group, classification="suspected")
    client.force_login(prevention)
    assert client.get(f"/health/cases/{case.pk}/edit/").status_code == 200
    refused = client.post(
        f"/health/cases/{case.pk}/classification/", {"classification": "confirmed", "reason": ""}
    )
    assert refused.status_code == 422
    done = client.post(
        f"/health/cases/{case.pk}/classification/",
        {"classification": "confirmed", "reason": "阳性"},
    )
    assert done.status_code == 302
    page = client.get(f"/health/cases/{case.pk}/").content.decode()
    assert "阳性" in page


def test_search_from_the_page(client, cluster, prevention):
    client.force_login(prevention)
    refused = client.post(
        f"/health/cases/{cluster.case.pk}/searches/",
        {"reason": "", "tolerance_minutes": 15, "days_before": 2},
        **HTMX,
    )
    assert refused.status_code == 422
    assert "每次排查都会留痕" in refused.content.decode()
    assert not ContactSearch.objects.exists()
    done = client.post(
        f"/health/cases/{cluster.case.pk}/searches/",
        {"reason": "流调", "tolerance_minutes": 15, "days_before": 2},
    )
    assert done.status_code == 302
    page = client.get(f"/health/cases/{cluster.case.pk}/").content.decode()
    assert "陈密接" in page and "流调" in page


def test_confirm_and_quarantine_rows(client, cluster, prevention, personas):
    contact_search(actor=prevention, case=cluster.case, reason="流调")
    contact = Contact.objects.get(name="陈密接")
    client.force_login(personas.village_cadre)
    row = client.post(f"/health/cases/contacts/{contact.pk}/status/", {"status": "close"}, **HTMX)
    assert row.status_code == 200 and "密切接触者" in row.content.decode()
    placed = client.post(
        f"/health/cases/contacts/{contact.pk}/quarantine/", {"kind": "home"}, **HTMX
    )
    assert placed.status_code == 200 and f"quarantined-{contact.pk}" in placed.content.decode()
    again = client.post(
        f"/health/cases/contacts/{contact.pk}/quarantine/", {"kind": "home"}, **HTMX
    )
    assert again.status_code == 422 and "已在隔离中" in again.content.decode()
    assert QuarantineOrder.objects.count() == 1
    worklist = client.get("/health/cases/contacts/").content.decode()
    assert "孙手机" in worklist and "陈密接" not in worklist  # confirmed: no longer waiting


def test_reveal_is_audited(client, cluster, personas, prevention):
    client.force_login(prevention)
    assert client.post(f"/health/cases/{cluster.case.pk}/reveal/").status_code == 403
    client.force_login(personas.district_admin)
    page = client.post(f"/health/cases/{cluster.case.pk}/reveal/")
    assert cluster.case.id_number in page.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW_PERSONAL_DATA, note="case page"
    ).exists()


def test_export_page_starts_a_job(client, cluster, personas):
    client.force_login(personas.district_admin)
    with starting_jobs():
        started = client.post(
            "/health/cases/export/",
            {"since": days_ago(7).isoformat(), "until": days_ago(0).isoformat()},
        )
    started.status_code = 303  # the page redirects (302) to the job's page
    job, _page = followed_job(client, started)
    assert job.state == "done"
