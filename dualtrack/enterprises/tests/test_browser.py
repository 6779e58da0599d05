"""The enterprises' pages in real Chromium on a phone-sized screen: sign-up, the three phases'
workflows with the notice, a return with reasons, supervision, the figures, scoping and bad
input."""

from __future__ import annotations

import datetime
import importlib
import io

import openpyxl
import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, browser_login
from dualtrack.core.models import User
from dualtrack.enterprises.models import (
    DailyReport,
    Enterprise,
    EnterpriseMember,
    Inspection,
    Rectification,
    ResumptionFiling,
)

from .conftest import CODES, make_enterprise

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _reference_data(db):
    """The GB/T 4754 sections and divisions, which data migrations load.

    On PostgreSQL, after the other tests of this app have run, the serialized rollback between
    transactional tests has been seen to come back without them; reloading them (a no-op when
    they are there) keeps these tests about the pages."""
    sections = importlib.import_module("dualtrack.areas.migrations.0002_industry_sectors")
    divisions = importlib.import_module("dualtrack.enterprises.migrations.0002_industry_divisions")
    sections.add_sections(django_apps, None)
    divisions.add_divisions(django_apps, None)


def _member(username: str, enterprise: Enterprise) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    EnterpriseMember.objects.create(user=user, enterprise=enterprise)
    return user


def _figure(page, testid: str) -> str:
    page.goto("/enterprises/figures/")
    return page.get_by_test_id(testid).inner_text().strip()


def _file(page, *, with_plan: bytes | None = None) -> None:
    """Fill in the portal's filing form (prefilled from the registry) and submit it."""
    page.goto("/portal/filing/")
    page.fill("#id_planned_date", timezone.localdate().isoformat())
    page.fill("#id_masks_days", "10")
    page.fill("#id_disinfectant_days", "10")
    page.check("#id_temperature_checks")
    if with_plan is not None:
        page.set_input_files(
            "#id_plan_file",
            files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": with_plan}],
        )
    page.check("#id_commitment_signed")
    page.fill("#id_commitment_signer", "张三")
    # Wait for the answer to the form itself, so that what it wrote is there to be checked.
    with page.expect_navigation():
        page.click("#filing-form button[type=submit]")
    page.wait_for_load_state("networkidle")


def _download_notice(page) -> bytes:
    with page.expect_download() as info:
        page.get_by_test_id("notice-link").click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def _set_phase(page, phase: str) -> None:
    page.goto("/enterprises/phase/")
    page.select_option("#id_phase", phase)
    page.fill("#id_effective_from", timezone.localdate().isoformat())
    # The phase page shows the phase in force before the form is sent as well as after.
    with page.expect_navigation():
        page.click("#phase-form button[type=submit]")
    page.wait_for_load_state("networkidle")


def _decide(page, filing: ResumptionFiling, decision: str = "pass", reason: str = "") -> None:
    page.goto(f"/enterprises/filings/{filing.pk}/")
    if reason:
        page.fill("#id_reason", reason)
    with page.expect_navigation():
        page.click(f"#decision-form button[value={decision}]")
    page.wait_for_load_state("networkidle")


def test_sign_up_approval_and_filing_under_each_phase(
    browser, live_server, personas, district, wg_enterprise
):
    def new_page():
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 390, "height": 844},
            locale="zh-CN",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        return context.new_page()

    admin = personas.district_admin
    strict_co = make_enterprise(admin, district.town, CODES[0], "严格期企业")
    # Today's working copy of the figures exists from here on: every change below must reach it.
    call_command("freeze_daily_snapshot", stdout=io.StringIO())
    orderly_co = make_enterprise(admin, district.town, CODES[2], "规上企业", above_scale=True)
    full_co = make_enterprise(admin, district.town, CODES[3], "全面期企业")
    _member("orderly", orderly_co)
    _member("full", full_co)

    # The enterprise signs up on the public page.
    visitor = new_page()
    visitor.goto("/portal/signup/")
    visitor.fill("#id_credit_code", CODES[0])
    visitor.fill("#id_contact_name", "李四")
    visitor.fill("#id_contact_phone", "13900139000")
    visitor.fill("#id_username", "strict")
    visitor.fill("#id_password", PASSWORD)
    visitor.fill("#id_password_again", PASSWORD)
    visitor.click("#signup-form button[type=submit]")
    expect(visitor.get_by_test_id("signup-done")).to_be_visible()
    # Before approval the login does not work.
    browser_login(visitor, "strict")
    assert visitor.url.endswith("/login/")

    # The town approves it.
    town = new_page()
    browser_login(town, "town")
    town.goto("/enterprises/signups/")
    with town.expect_navigation():
        town.click("form button[value=approve]")
    town.wait_for_load_state("networkidle")
    assert User.objects.get(username="strict").is_active

    group = new_page()
    browser_login(group, "wg_enterprise")
    staff = new_page()
    browser_login(staff, "admin")
    assert _figure(staff, "fig-resumed") == "0"

    # Strict: town review, then the working group; the notice downloads.
    browser_login(visitor, "strict")
    visitor.goto("/portal/")
    assert visitor.get_by_test_id("portal-enterprise").inner_text() == "严格期企业"
    _file(visitor, with_plan=b"%PDF-1.4 plan")
    filing = ResumptionFiling.objects.get(enterprise=strict_co)
    assert filing.status == "town_review" and "no_plan" not in filing.gaps
    assert _figure(staff, "fig-filed") == "1"
    _decide(town, filing)
    _decide(group, filing)
    filing.refresh_from_db()
    assert filing.status == "approved"
    visitor.goto(f"/portal/filings/{filing.pk}/")
    assert _download_notice(visitor).startswith(b"%PDF")
    assert _figure(staff, "fig-resumed") == "1"

    # Orderly: the above-scale enterprise goes straight to the working group.
    commander = new_page()
    browser_login(commander, "commander")
    _set_phase(commander, "orderly")
    expect(commander.get_by_test_id("phase-current")).to_be_visible()
    orderly = new_page()
    browser_login(orderly, "orderly")
    _file(orderly)
    filing = ResumptionFiling.objects.get(enterprise=orderly_co)
    assert filing.status == "group_approval" and "no_plan" in filing.gaps
    _decide(group, filing)
    orderly.goto(f"/portal/filings/{filing.pk}/")
    assert _download_notice(orderly).startswith(b"%PDF")
    assert _figure(staff, "fig-above-scale") == "1 / 1"

    # Full: accepted on submission, into the supervision pool.
    _set_phase(commander, "full")
    full = new_page()
    browser_login(full, "full")
    _file(full)
    expect(full.get_by_test_id("filing-status")).to_be_visible()
    assert _download_notice(full).startswith(b"%PDF")
    full_co.refresh_from_db()
    assert full_co.status == "resumed" and full_co.in_supervision_pool
    assert _figure(staff, "fig-resumed") == "3"


def test_town_returns_a_filing_with_reasons_and_it_is_resubmitted(page, personas, enterprise):
    _member("ent", enterprise)
    browser_login(page, "ent")
    _file(page)
    filing = ResumptionFiling.objects.get()
    page.context.clear_cookies()
    browser_login(page, "town")
    _decide(page, filing, "return", reason="请补充隔离观察室")
    filing.refresh_from_db()
    assert filing.status == "returned" and filing.return_reason == "请补充隔离观察室"
    page.context.clear_cookies()
    browser_login(page, "ent")
    page.goto("/portal/filing/")
    assert "请补充隔离观察室" in page.get_by_test_id("return-reason").inner_text()
    page.check("#id_isolation_room")
    page.check("#id_commitment_signed")
    with page.expect_navigation():
        page.click("#filing-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    filing.refresh_from_db()
    assert filing.status == "town_review" and filing.isolation_room


def test_inspector_draws_a_sample_inspects_and_sets_a_rectification(
    page, personas, district, supervisor
):
    for i, code in enumerate(CODES[:3]):
        e = make_enterprise(personas.district_admin, district.town, code, f"复工企业{i}")
        Enterprise.objects.filter(pk=e.pk).update(
            status="resumed", resumed_on=timezone.localdate() - datetime.timedelta(days=3)
        )
    browser_login(page, "wg_supervision")
    page.goto("/enterprises/supervision/")
    page.fill("#id_fraction", "0.5")
    page.fill("#id_seed", "42")
    page.click("#draw-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.locator("[data-testid=drawn] a.btn").first.click()
    page.wait_for_load_state("networkidle")
    page.check("#id_check_temperature_checks")
    page.fill("#id_findings", "消毒记录不全")
    page.fill("#id_rectification", "补全消毒记录")
    page.fill("#id_deadline", timezone.localdate().isoformat())
    page.set_input_files(
        "#id_photos", files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff"}]
    )
    with page.expect_navigation():
        page.click("#inspection-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    inspection = Inspection.objects.get()
    assert inspection.result == "rectify" and inspection.draw is not None
    assert inspection.photos.count() == 1
    expect(page.get_by_test_id("inspection-result")).to_be_visible()
    page.goto("/enterprises/supervision/")
    assert "补全消毒记录" in page.get_by_test_id("rectifications").inner_text()
    page.goto(f"/enterprises/inspections/{inspection.pk}/")
    page.fill(f"#note-{Rectification.objects.get().pk}", "复查已整改")
    with page.expect_navigation():
        page.click("form.inline-form button")
    page.wait_for_load_state("networkidle")
    assert Rectification.objects.get().closed_on == timezone.localdate()


def test_enterprise_sees_only_its_own_and_town_only_its_town(
    page, personas, enterprise, far_enterprise
):
    _member("ent", enterprise)
    browser_login(page, "ent")
    page.goto("/portal/")
    expect(page.get_by_test_id("portal-nav")).to_be_visible()
    assert page.locator("a[href='/areas/']").count() == 0
    response = page.goto(f"/portal/enterprises/{far_enterprise.pk}/")
    assert response.status == 404
    response = page.goto(f"/api/enterprises/enterprises/{far_enterprise.pk}")
    assert response.status == 404
    page.context.clear_cookies()
    browser_login(page, "town")
    page.goto("/enterprises/")
    assert "昌东电子" in page.content() and "麻丘机械" not in page.content()
    assert page.goto(f"/enterprises/{far_enterprise.pk}/").status == 404


def test_bad_input_gets_a_clear_message_and_writes_nothing(
    page, personas, district, enterprise, settings
):
    browser_login(page, "town")
    page.goto("/enterprises/new/")
    page.fill("#id_credit_code", CODES[0])
    page.fill("#id_name", "重复企业")
    page.select_option("#id_town", str(district.town.pk))
    page.fill("#id_normal_workforce", "-3")
    with page.expect_navigation():
        page.click("#enterprise-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_normal_workforce_error")).to_be_visible()
    page.fill("#id_normal_workforce", "3")
    with page.expect_navigation():
        page.click("#enterprise-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_credit_code_error")).to_be_visible()  # already registered
    page.fill("#id_credit_code", "91360100MA35F6XX0B")
    with page.expect_navigation():
        page.click("#enterprise-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_credit_code_error")).to_be_visible()
    assert Enterprise.objects.count() == 1

    page.goto("/enterprises/import/")
    page.set_input_files(
        "#id_file", files=[{"name": "list.csv", "mimeType": "text/csv", "buffer": b"a,b\n"}]
    )
    with page.expect_navigation():
        page.click("#import-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_file_error")).to_be_visible()
    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码", "企业名称", "所在镇处"])
    for n in range(2000):
        book.active.append([f"row {n}" * 20, "x" * 100, "昌东镇"])
    buffer = io.BytesIO()
    book.save(buffer)
    settings.IMPORT_MAX_BYTES = 10_000
    page.set_input_files(
        "#id_file",
        files=[{"name": "big.xlsx", "mimeType": "application/zip", "buffer": buffer.getvalue()}],
    )
    with page.expect_navigation():
        page.click("#import-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_file_error")).to_be_visible()
    assert Enterprise.objects.count() == 1

    Enterprise.objects.filter(pk=enterprise.pk).update(
        status="resumed", resumed_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    _member("ent", enterprise)
    page.context.clear_cookies()
    browser_login(page, "ent")
    page.goto("/portal/")
    page.fill("#id_date", (timezone.localdate() + datetime.timedelta(days=1)).isoformat())
    page.fill("#id_workers_on_duty", "5")
    with page.expect_navigation():
        page.click("#report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".message-error")).to_be_visible()
    page.fill("#id_date", (timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_workers_on_duty", "-5")
    with page.expect_navigation():
        page.click("#report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".message-error")).to_be_visible()
    assert not DailyReport.objects.exists()

    settings.UPLOAD_MAX_BYTES = 10
    # A resumed enterprise is shown its state, not the filing form: file as one not yet resumed.
    Enterprise.objects.filter(pk=enterprise.pk).update(status="not_resumed", resumed_on=None)
    page.goto("/portal/filing/")
    page.set_input_files(
        "#id_plan_file",
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 " * 10}],
    )
    page.check("#id_commitment_signed")
    page.fill("#id_commitment_signer", "张三")
    with page.expect_navigation():
        page.click("#filing-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_plan_file_error")).to_be_visible()
    assert not ResumptionFiling.objects.exists()
