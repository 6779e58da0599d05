"""A job seeker applies on a phone; the enterprise interviews and hires; the hire appears on the
enterprise's roster — in real Chromium."""

from __future__ import annotations

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.enterprises.models import Employee
from dualtrack.jobs.models import Application, ApplicationStatus

from .factories import id_number

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _reference_data(db):
    """The GB/T 4754 sections and divisions, which data migrations load: a live-server test
    elsewhere may have flushed them (reloading is a no-op when they are there)."""
    sections = importlib.import_module("dualtrack.areas.migrations.0002_industry_sectors")
    divisions = importlib.import_module("dualtrack.enterprises.migrations.0002_industry_divisions")
    sections.add_sections(django_apps, None)
    divisions.add_divisions(django_apps, None)


def test_a_job_seeker_applies_on_a_phone_and_is_hired_onto_the_roster(page, recruiting):
    posting = recruiting.posting
    # A 360 px phone: the fair's page lists the postings without scrolling sideways.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/fairs/{recruiting.fair.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("input[name=q]", posting.title)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state("networkidle")
    # The search is swapped in by htmx, which then puts the query in the address: the posting is
    # chosen from the answer, not from the list the search replaces.
    expect(page).to_have_url(re.compile(r".*[?&]q="))
    page.click(f"[data-testid=posting-{posting.pk}] a")
    page.wait_for_load_state("networkidle")

    # Applies without an account; a wrong ID number is said on the form first.
    page.fill("input[name=name]", "陈小明")
    page.fill("input[name=mobile]", "13812345678")
    page.fill("input[name=id_number]", "360121199001010010")
    page.click("#apply-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".field-error").first).to_contain_text("身份证号校验位错误")
    page.fill("input[name=id_number]", id_number(42))
    page.fill("textarea[name=experience]", "电子厂装配三年")
    page.click("#apply-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=shown-code]")).to_be_visible()
    code = page.locator("[data-testid=shown-code] strong").inner_text()
    page.fill("input[name=code]", code)
    page.click("#code-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=applied]")).to_be_visible()
    link = page.locator("[data-testid=personal-link]").get_attribute("href")
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED

    # The enterprise screens, invites to an on-site interview, offers and hires.
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, recruiting.ent_user.username)
    page.goto(f"/employment/postings/{posting.pk}/")
    page.click(f"[data-testid=application-{application.pk}] a")
    page.wait_for_load_state("networkidle")
    # Each step's answer offers the next step's form: wait for it, not for the page it leaves.
    with page.expect_navigation():
        page.click("#screen-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.select_option("#invite-form select[name=mode]", "on_site")
    at = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    page.fill("#invite-form input[name=at]", at)
    page.fill("#invite-form input[name=place]", "公司三楼会议室")
    page.click("#invite-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=application-status]")).to_have_text("已邀请面试")
    with page.expect_navigation():
        page.click("#offer-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    start = timezone.localdate() + datetime.timedelta(days=2)
    page.fill("#hire-form input[name=start_date]", start.isoformat())
    page.select_option("#hire-form select[name=contract_kind]", "fixed_term")
    page.fill("#hire-form input[name=contract_months]", "24")
    page.click("#hire-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=application-status]")).to_have_text("已录用")
    steps = page.locator("[data-testid=steps] li")
    expect(steps).to_have_count(6)

    # The hire is on the roster, as a new hire.
    page.goto("/portal/roster/")
    employee = Employee.objects.get(enterprise=recruiting.enterprise)
    row = page.locator(f"[data-testid=employee-{employee.pk}]")
    assert "陈小明" in row.inner_text() and "新招用" in row.inner_text()

    # The job seeker's personal link shows the hire.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(link)
    assert (
        page.locator(
            f"[data-testid=application-{application.pk}] [data-testid=status]"
        ).inner_text()
        == "已录用"
    )
