"""In real Chromium: a person under quarantine records two checks through their own link on a
360 px phone, without an account; the check missed yesterday is flagged to the village cadre;
a release notice PDF downloads from a released order's page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.health.models import QuarantineCheck, QuarantineOrder
from dualtrack.health.selectors import quarantine_slots
from dualtrack.health.tests.quarantine.factories import make_order

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def test_two_checks_through_the_link_and_a_missed_check_flagged(
    page, district, personas, liaison, monkeypatch
):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    order = make_order(actor=personas.village_cadre, area=district.village, name="王隔离")
    # Placed yesterday at midnight: yesterday's two checks were due and nobody recorded them.
    QuarantineOrder.objects.filter(pk=order.pk).update(
        created_at=_at(yesterday, 0), starts_on=yesterday
    )
    page.set_viewport_size({"width": 360, "height": 780})
    url = f"/qc/{order.check_token}/"
    for hour, temperature, period in ((8, "36.5", "上午"), (15, "36.7", "下午")):
        # The person's phone at 8:00, then at 15:00 (the server's clock for the link).
        monkeypatch.setattr(quarantine_slots, "clock", lambda h=hour: _at(today, h))
        page.goto(url)
        assert "隔离健康监测填报" in page.locator("h1").inner_text()
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        page.fill("input[name=temperature]", temperature)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        # The confirmation is only on the answer to the form, never on the link's page.
        done = page.locator("[data-testid=check-done]")
        expect(done).to_contain_text("已记录")
        expect(done).to_contain_text(period)
    checks = QuarantineCheck.objects.filter(order=order).order_by("period")
    assert [(c.period, str(c.temperature), c.self_reported) for c in checks] == [
        ("am", "36.5", True),
        ("pm", "36.7", True),
    ]

    # The cadre answerable sees the missed checks: in the list's filter and on the order.
    browser_login(page, personas.village_cadre.username)
    page.goto("/health/quarantine/?missed=on&status=active")
    row = page.locator(f"[data-order='{order.pk}']")
    assert "漏报 2 次" in row.locator("[data-testid=missed]").inner_text()
    row.locator("a").click()
    page.wait_for_load_state("networkidle")
    flagged = page.locator("[data-testid=missed-checks]")
    expect(flagged).to_contain_text(f"{yesterday.isoformat()} 上午")
    expect(flagged).to_contain_text(f"{yesterday.isoformat()} 下午")
    expect(page.locator("[data-testid=checks] tbody tr")).to_have_count(2)


def test_a_release_notice_downloads(page, district, personas):
    order = make_order(
        actor=personas.village_cadre,
        area=district.village,
        name="李解除",
        last_exposure=timezone.localdate() - datetime.timedelta(days=20),
    )
    browser_login(page, personas.village_cadre.username)
    page.goto(f"/health/quarantine/orders/{order.pk}/")
    page.click("[data-testid=action-release] summary")
    page.fill("input[name=release-reason]", "隔离期满，核酸阴性")
    page.click("[data-testid=action-release] button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=order-status]")).to_have_text("已解除")
    with page.expect_download() as info:
        page.click("[data-testid=notice-pdf]")
    download = info.value
    order.refresh_from_db()
    assert download.suggested_filename == f"notice-{order.notice_number}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
