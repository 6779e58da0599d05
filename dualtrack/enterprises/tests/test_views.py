"""The pages: every page renders for its users, scoping holds, bad input gets a clear message."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dualtrack.core.tests.helpers import followed_job, starting_jobs
from dualtrack.enterprises.models import (
    DailyReport,
    Enterprise,
    FilingStatus,
    ResumptionFiling,
)
from dualtrack.enterprises.services.filings import filing_submit

from .conftest import CODES, filing_data

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "name",
    [
        "enterprise_index",
        "enterprise_create",
        "enterprise_import",
        "enterprise_phase",
        "enterprise_signups",
        "enterprise_filings",
        "enterprise_missing_reports",
        "enterprise_figures",
        "enterprise_supervision",
        "enterprise_figures_export",
    ],
)
def test_staff_pages_render(client, personas, enterprise, name):
    client.force_login(personas.district_admin)
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_enterprise_detail_and_filing_pages(client, personas, enterprise, ent_user):
    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    client.force_login(personas.town_officer)
    assert "昌东电子" in client.get(reverse("enterprise_detail", args=[enterprise.pk])).text
    page = client.get(reverse("enterprise_filing", args=[filing.pk]))
    assert page.status_code == 200 and "decision-form" in page.text


def test_town_officer_sees_only_its_town(client, personas, enterprise, far_enterprise):
    client.force_login(personas.town_officer)
    listing = client.get(reverse("enterprise_index")).text
    assert "昌东电子" in listing and "麻丘机械" not in listing
    assert client.get(reverse("enterprise_detail", args=[far_enterprise.pk])).status_code == 404


def test_register_with_bad_and_duplicate_credit_code_shows_a_message(
    client, personas, district, enterprise
):
    client.force_login(personas.town_officer)
    form = {
        "credit_code": CODES[0],
        "name": "重复",
        "town": district.town.pk,
        "size_class": "small",
        "normal_workforce": 10,
    }
    page = client.post(reverse("enterprise_create"), form)
    assert page.status_code == 200 and 'id="id_credit_code_error"' in page.text
    page = client.post(reverse("enterprise_create"), {**form, "credit_code": "123"})
    assert "18" in page.text and 'id="id_credit_code_error"' in page.text
    page = client.post(
        reverse("enterprise_create"), {**form, "credit_code": CODES[2], "normal_workforce": -5}
    )
    assert 'id="id_normal_workforce_error"' in page.text
    assert Enterprise.objects.count() == 1


def test_import_is_all_or_nothing_with_every_bad_row(client, personas, district):
    client.force_login(personas.town_officer)
    header = [
        "统一社会信用代码",
        "企业名称",
        "所在镇处",
        "行业大类代码",
        "规上工业",
        "正常用工人数",
    ]
    good = [CODES[2], "好企业", "昌东镇", "39", "是", 10]
    bad_code = ["91360100MA35F6XX0B", "坏代码", "昌东镇", "39", "否", 5]
    other_town = [CODES[3], "外镇", "麻丘镇", "13", "否", 5]
    upload = SimpleUploadedFile("e.xlsx", _xlsx([header, good, bad_code, other_town]))
    with starting_jobs():
        response = client.post(reverse("enterprise_import"), {"file": upload})
    job, page = followed_job(client, response)
    assert job.state == "failed" and {p["row"] for p in job.problems} == {3, 4}
    assert 'data-testid="job-problems"' in page and "坏代码" not in page
    assert not Enterprise.objects.exists()
    upload = SimpleUploadedFile("e.xlsx", _xlsx([header, good]))
    with starting_jobs():
        response = client.post(reverse("enterprise_import"), {"file": upload})
    job, page = followed_job(client, response)
    assert job.state == "done" and 'data-state="done"' in page
    assert Enterprise.objects.get().name == "好企业"


def test_the_registry_exports_in_the_background(client, personas, enterprise):
    client.force_login(personas.town_officer)
    assert client.get(reverse("enterprise_export")).status_code == 405
    with starting_jobs():
        response = client.post(reverse("enterprise_export"))
    job, page = followed_job(client, response)
    assert job.state == "done" and 'data-testid="job-result"' in page
    download = client.get(reverse("job_result", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert book.active.cell(row=2, column=2).value == "昌东电子"


def test_import_refuses_a_file_that_is_not_xlsx_or_too_large(client, personas, settings):
    client.force_login(personas.town_officer)
    page = client.post(reverse("enterprise_import"), {"file": SimpleUploadedFile("e.csv", b"a,b")})
    assert ".xlsx" in page.text
    settings.IMPORT_MAX_BYTES = 100
    page = client.post(
        reverse("enterprise_import"),
        {"file": SimpleUploadedFile("e.xlsx", b"PK\x03\x04" + b"0" * 200)},
    )
    assert "文件大于 100\xa0字节。" in page.text
    assert not Enterprise.objects.exists()


def test_portal_shows_only_the_own_enterprise(client, enterprise, far_enterprise, ent_user):
    client.force_login(ent_user)
    assert client.get(reverse("enterprise_index")).url == reverse("portal_home")
    home = client.get(reverse("portal_home"))
    assert "昌东电子" in home.text and 'data-testid="portal-nav"' in home.text
    assert reverse("area_index") not in home.text  # no district links
    assert client.get(reverse("portal_enterprise", args=[far_enterprise.pk])).status_code == 404
    assert client.get(reverse("enterprise_detail", args=[far_enterprise.pk])).status_code in (
        403,
        404,
    )
    assert client.get(f"/api/enterprises/enterprises/{far_enterprise.pk}").status_code == 404
    other = filing_submit(
        actor=far_enterprise.area and _admin(), enterprise=far_enterprise, data=filing_data()
    )
    assert client.get(reverse("portal_filing", args=[other.pk])).status_code == 404
    assert client.get(reverse("enterprise_notice", args=[other.pk])).status_code == 404


def _admin():
    from dualtrack.core.models import User

    return User.objects.get(username="admin")


def test_portal_filing_prefills_and_submits_with_plan(
    client, enterprise, ent_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(ent_user)
    page = client.get(reverse("portal_filing_form"))
    assert 'value="100"' in page.text  # normal workforce, as the registry knows it
    form = {
        "planned_date": timezone.localdate().isoformat(),
        "workers_planned": 50,
        "masks_days": 10,
        "disinfectant_days": 10,
        "commitment_signed": "on",
        "commitment_signer": "张三",
        "plan_file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4"),
    }
    response = client.post(reverse("portal_filing_form"), form)
    filing = ResumptionFiling.objects.get()
    assert response.url == reverse("portal_filing", args=[filing.pk])
    assert filing.status == FilingStatus.TOWN_REVIEW and "no_plan" not in filing.gaps


def test_portal_filing_refuses_oversized_plan(client, enterprise, ent_user, settings):
    settings.UPLOAD_MAX_BYTES = 5
    client.force_login(ent_user)
    form = {
        "planned_date": timezone.localdate().isoformat(),
        "workers_planned": 50,
        "masks_days": 1,
        "disinfectant_days": 1,
        "commitment_signed": "on",
        "commitment_signer": "张三",
        "plan_file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 too big"),
    }
    page = client.post(reverse("portal_filing_form"), form)
    assert page.status_code == 200 and "文件大于 5\xa0字节。" in page.text
    assert not ResumptionFiling.objects.exists()


def test_daily_report_for_the_future_is_refused_with_a_message(
    client, personas, enterprise, ent_user
):
    from dualtrack.areas.models import Duty  # noqa: F401

    Enterprise.objects.filter(pk=enterprise.pk).update(
        status="resumed", resumed_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    client.force_login(ent_user)
    response = client.post(
        reverse("portal_report"),
        {
            "date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            "workers_on_duty": 3,
        },
        follow=True,
    )
    assert "24:00" in response.text
    assert not DailyReport.objects.exists()
    client.post(
        reverse("portal_report"),
        {
            "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "workers_on_duty": 7,
        },
    )
    assert DailyReport.objects.get().workers_on_duty == 7


def test_public_signup_page(client, enterprise):
    page = client.post(
        reverse("portal_signup"),
        {
            "credit_code": CODES[0],
            "contact_name": "李四",
            "contact_phone": "13900139000",
            "username": "newco",
            "password": "Dualtrack-test-2020",
            "password_again": "Dualtrack-test-2020",
        },
    )
    assert 'data-testid="signup-done"' in page.text


def test_roster_import_flags_quarantine_and_reports_bad_rows(
    client, enterprise, ent_user, risk_area
):
    client.force_login(ent_user)
    header = ["姓名", "身份证号", "手机号", "返回地代码", "返回日期", "健康状况"]
    back = timezone.localdate() - datetime.timedelta(days=2)
    rows = [header, ["甲", "11010519491231002X", "13800138000", "420106", back, "健康"]]
    bad = [*rows, ["乙", "110105194912310021", "123", "999999", None, "很好"]]
    with starting_jobs():
        response = client.post(
            reverse("portal_roster_import"), {"file": SimpleUploadedFile("r.xlsx", _xlsx(bad))}
        )
    job, page = followed_job(client, response)
    assert {p["row"] for p in job.problems} == {3} and 'data-testid="job-problems"' in page
    assert not enterprise.employees.exists()
    with starting_jobs():
        response = client.post(
            reverse("portal_roster_import"), {"file": SimpleUploadedFile("r.xlsx", _xlsx(rows))}
        )
    assert followed_job(client, response)[0].state == "done"
    worker = enterprise.employees.get()
    assert worker.quarantine_needed and worker.quarantine_until == back + datetime.timedelta(
        days=14
    )
    assert worker.id_number == "11010519491231002X"
    with starting_jobs():
        response = client.post(reverse("portal_roster_export"))
    job, _page = followed_job(client, response)
    export = client.get(reverse("job_result", args=[job.pk]))
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.active.cell(row=2, column=2).value == "11010519491231002X"
    from dualtrack.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="view_personal_data", actor=ent_user).exists()


def test_an_enterprise_login_lands_on_its_portal_and_staff_on_the_district_home(
    client, ent_user, personas
):
    client.force_login(ent_user)
    landing = client.get("/", follow=True)
    assert landing.redirect_chain == [("/portal/", 302)]
    assert landing.status_code == 200
    client.force_login(personas.town_officer)
    assert client.get("/").status_code == 200


def test_the_subnav_offers_supervision_only_to_inspectors(as_user, client, wg_enterprise):
    """A link that answers 403 is a dead end: the commander and the village cadre do not
    inspect, the enterprise-services group does."""
    for persona in ("commander", "village_cadre"):
        page = as_user(persona).get(reverse("enterprise_index")).content.decode()
        assert 'data-testid="enterprise-subnav"' in page
        assert reverse("enterprise_supervision") not in page
        assert as_user(persona).get(reverse("enterprise_supervision")).status_code == 403
    client.force_login(wg_enterprise)
    assert reverse("enterprise_supervision") in client.get(reverse("enterprise_index")).text


def test_the_filings_list_is_paged_and_the_queue_says_when_it_is_cut(
    client, personas, district, enterprise, monkeypatch
):
    """2,928 filings in the demo: a list cut at 100 without a word hid the rest."""
    from dualtrack.enterprises.services.filings import filing_submit
    from dualtrack.enterprises.views import workflow

    from .conftest import CODES, filing_data, make_enterprise

    other = make_enterprise(personas.district_admin, district.town, CODES[2], "昌东纺织")
    first = filing_submit(actor=personas.town_officer, enterprise=enterprise, data=filing_data())
    second = filing_submit(actor=personas.town_officer, enterprise=other, data=filing_data())
    monkeypatch.setattr(workflow, "FILINGS_PER_PAGE", 1)
    monkeypatch.setattr(workflow, "QUEUE_SHOWN", 1)
    client.force_login(personas.town_officer)
    page = client.get(reverse("enterprise_filings")).content.decode()
    assert 'data-testid="queue-cut"' in page
    assert "第 1 / 2 页，共 2 件" in page and "?page=2" in page
    page2 = client.get(reverse("enterprise_filings") + "?page=2").content.decode()
    assert "第 2 / 2 页，共 2 件" in page2
    # Newest first: the second filing on page 1, the first on page 2 (and both in the queue).
    listed = [p.split('id="queue"')[1].split("</section>", 2)[1] for p in (page, page2)]
    assert f"/enterprises/filings/{second.pk}/" in listed[0]
    assert f"/enterprises/filings/{first.pk}/" in listed[1]


def test_the_portal_names_the_enterprise_card_and_the_report_button_in_their_sense(
    client, personas, enterprise, ent_user
):
    """The enterprise's card was headed 个人资料 (a person's profile)."""
    client.force_login(ent_user)
    page = client.get(reverse("portal_home")).text
    assert "<h2>企业信息</h2>" in page and "<h2>个人资料</h2>" not in page


def test_the_registry_list_reads_only_the_columns_it_shows(client, personas, enterprise):
    """The rows show name, code, town, industry, scale and resumption: the contacts' phones
    (decrypted row by row when read) and addresses are not read for the list."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.district_admin)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("enterprise_index")).content.decode()
    assert enterprise.name in page and enterprise.credit_code in page
    assert enterprise.get_status_display() in page
    rows = [
        q["sql"] for q in queries.captured_queries if 'FROM "enterprises_enterprise"' in q["sql"]
    ]
    assert rows
    for sql in rows:
        assert "contact_phone" not in sql and '"address"' not in sql
