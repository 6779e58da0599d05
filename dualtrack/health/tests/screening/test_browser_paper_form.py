"""The screening paper form in real Chromium, on a phone and on a wide screen: a cadre presses
"download the template", the job's page shows the work waiting and then its progress, and the
workbook downloaded at the end opens and lists the residents of the households the cadre has
left to visit, and no other."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.core.models import Job
from dualtrack.core.tests.helpers import run_jobs
from dualtrack.health.services import screening_import

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1366, "height": 768}


def _fits(page, locator, viewport: dict[str, int]) -> None:
    """``locator`` is in sight whole, and the page does not scroll sideways."""
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_the_paper_form_button_makes_a_workbook_of_the_households_left(
    page, campaign, homes, personas, monkeypatch, viewport
):
    page.set_viewport_size(viewport)
    browser_login(page, personas.village_cadre.username)
    page.goto(f"/health/screening/{campaign.pk}/import/")
    button = page.locator("[data-testid=template-link]")
    expect(button).to_have_text("下载模板")
    _fits(page, button, viewport)
    with page.expect_navigation():
        button.click()
    job = Job.objects.get()
    assert job.kind == screening_import.RESULTS_TEMPLATE_JOB and job.owner == personas.village_cadre
    assert page.url.endswith(f"/jobs/{job.pk}/")
    status = page.locator("[data-testid=job-status]")
    expect(status).to_have_attribute("data-state", "queued")
    expect(status).to_contain_text("正在排队")
    expect(page.locator("[data-testid=job-progress]")).to_be_visible()

    # The worker stops after its first report until the page, polling, has shown it.
    shown: list[tuple[int, int]] = []
    make = screening_import.results_template

    def watched_make(*, user, campaign, progress):
        def watched(done: int, total: int, stage: str = "") -> None:
            progress(done, total, stage)
            if not shown:
                shown.append((done, total))
                expect(status).to_have_attribute("data-state", "running")
                expect(status).to_contain_text("正在写入")
                bar = page.locator("[data-testid=job-progress]")
                expect(bar).to_have_attribute("max", str(total))
                expect(bar).to_have_attribute("value", str(done))
                expect(status).to_contain_text(f"{done} / {total}")

        return make(user=user, campaign=campaign, progress=watched)

    monkeypatch.setattr(screening_import, "results_template", watched_make)
    assert run_jobs() == 1
    assert shown == [(0, screening_import.MAX_ROWS)]

    expect(status).to_have_attribute("data-state", "done")
    expect(status).to_contain_text("待走访户的居民共 4 人")
    result = page.locator("[data-testid=job-result]")
    _fits(page, result, viewport)
    with page.expect_download() as download_info:
        result.click()
    download = download_info.value
    assert download.suggested_filename == f"screening-{campaign.pk}.xlsx"
    with open(download.path(), "rb") as file:
        sheet = openpyxl.load_workbook(io.BytesIO(file.read())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [header for header, _name in screening_import.COLUMNS]
    # The two households of 艾溪村, the cadre's village; not those of 南山村 or 麻丘社区.
    assert [(row[0], row[4]) for row in rows[1:]] == [
        (homes.first.pk, "张三"),
        (homes.first.pk, "李四"),
        (homes.second.pk, "王五"),
        (homes.second.pk, "赵六"),
    ]
    assert all(row[5:] == [None] * (len(row) - 5) for row in rows[1:])  # the answers left blank
