"""An enterprise confirms its proactive offer; the policy group approves it with its explanation
before them; a payment batch is exported and marked paid; the public calculator gives the same
amount and explanation as the computation — in real Chromium."""

from __future__ import annotations

import importlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.subsidies import selectors
from dualtrack.subsidies.models import Claim, ClaimStatus, PaymentBatch
from dualtrack.subsidies.rules import employment
from dualtrack.subsidies.services.offers import offers_compute
from dualtrack.subsidies.tests.conftest import hire

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


def test_an_offer_confirmed_approved_batched_and_paid(page, policy, enterprise, ent_user):
    for n in (1, 2, 3):
        hire(ent_user, enterprise, n)
    offers_compute(actor=policy.group)
    claim = Claim.objects.get(enterprise=enterprise, status=ClaimStatus.OFFERED)

    browser_login(page, "ent")
    page.goto(f"/subsidies/claims/{claim.pk}/")
    assert (
        "新招员工 3 人 × 2,000 元 = 6,000 元"
        in page.locator("[data-testid=explanation]").inner_text()
    )
    form = page.locator("[data-testid=confirm-form]")
    form.locator("input[name=bank_name]").fill("中国工商银行")
    form.locator("input[name=bank_account]").fill("12")
    form.locator("input[name=willing]").check()
    with page.expect_navigation():
        form.locator("button").click()
    page.wait_for_load_state("networkidle")
    assert "8 至 34 位数字" in page.content()
    form = page.locator("[data-testid=confirm-form]")
    form.locator("input[name=bank_account]").fill("6222021001122334455")
    form.locator("input[name=willing]").check()
    form.locator("button").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=claim-status]")).to_have_text("待审核")

    page.context.clear_cookies()
    browser_login(page, "wg_policy")
    page.goto(f"/subsidies/claims/{claim.pk}/")
    assert "本次核定 6,000 元" in page.locator("[data-testid=explanation]").inner_text()
    page.locator("[data-testid=approve-form] button").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=claim-status]")).to_have_text("已核定")

    page.goto("/subsidies/batches/")
    with page.expect_navigation():
        page.locator("[data-testid=batch-create]").click()
    page.wait_for_load_state("networkidle")
    batch = PaymentBatch.objects.get()
    with page.expect_download() as download:
        page.locator("[data-testid=batch-export]").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][3] == enterprise.name and str(rows[1][5]).endswith("4455")
    page.locator("[data-testid=paid-form] input[name=voucher_no]").fill("ICBC-0001")
    page.locator("[data-testid=paid-form] button").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=voucher]")).to_have_text("ICBC0001")
    batch.refresh_from_db()
    assert batch.status == "paid"


def test_the_public_calculator_gives_the_computation(page, policy):
    page.goto("/subsidies/calculator/")
    page.select_option("select[name=clause]", "recruitment")
    page.fill("input[name=workers]", "37")
    page.fill("input[name=already]", "4990000")
    page.locator("[data-testid=calculator-form] button").click()
    page.wait_for_load_state("networkidle")
    today = timezone.localdate()
    hires = [employment.Hire(i + 1, today) for i in range(37)]
    result = employment.recruitment(
        selectors.parameters(),
        hires=hires,
        already=Decimal(4990000),
        on=today,
    )
    expect(page.locator("[data-testid=calc-amount]")).to_have_text(str(result.amount))
    # The explanation is read once the answer (the amount, only on it) is there.
    shown = page.locator("[data-testid=explanation] [data-testid=explain-text]").first.inner_text()
    assert shown == result.explanation.zh
