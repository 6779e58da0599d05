"""The residents import's job page in real Chromium: it polls while the worker runs the job,
shows the outcome, stops polling, and is found again under "My jobs"."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.areas.models import Resident
from dualtrack.areas.services.imports import IMPORT_COLUMNS
from dualtrack.areas.tests.factories import make_id_number
from dualtrack.core.models import Job
from dualtrack.core.tests.helpers import run_jobs

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    book.active.append([column.header for column in IMPORT_COLUMNS])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_job_page_follows_an_import_to_its_bad_rows(page, district, personas):
    code = district.group.code
    good = [code, "001", "幸福路1号", "张三", make_id_number(), "13800138000", "户主", "户籍"]
    bad = [code, "002", "幸福路2号", "李四", "360122199001010000", "", "户主", "户籍"]
    browser_login(page, personas.district_admin.username)
    page.goto("/residents/import/")
    upload = {"name": "居民.xlsx", "mimeType": XLSX, "buffer": _sheet([good, bad])}
    page.set_input_files("input[name=file]", files=[upload])
    with page.expect_navigation():
        page.click("#import-form button[type=submit]")
    job = Job.objects.get()
    assert page.url.endswith(f"/jobs/{job.pk}/")
    status = page.locator("[data-testid=job-status]")
    assert status.get_attribute("data-state") == "queued"
    assert status.get_attribute("hx-trigger") == "every 1s"

    run_jobs()

    page.wait_for_selector("[data-testid=job-status][data-state=failed]")
    assert status.get_attribute("hx-trigger") is None  # polling has stopped
    problems = page.locator("[data-testid=job-problems]").inner_text()
    assert "3" in problems and "身份证号" in problems
    assert not Resident.objects.exists()

    page.click("a:has-text('我的任务')")
    page.wait_for_load_state("networkidle")
    page.click(f"a[href='/jobs/{job.pk}/']")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=job-problems]")).to_be_visible()
