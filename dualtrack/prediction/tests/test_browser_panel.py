"""The early-warning panel in real Chromium at 1920 × 1080: today's signals listed, one opened
with its chart and the link to its records, acknowledged and gone from the open list."""

from __future__ import annotations

import pytest

from conftest import browser_login
from dualtrack.prediction.models import SignalState

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_panel_shows_opens_and_acknowledges_a_signal(page, computed, personas, district):
    page.set_viewport_size({"width": 1920, "height": 1080})
    browser_login(page, personas.town_officer.username)
    page.goto("/prediction/")
    signal = computed["near"]
    row = page.locator(f"[data-signal='{signal.pk}']")
    assert "艾溪村" in row.inner_text() and "C3" in row.inner_text()
    assert page.locator(f"[data-signal='{computed['far'].pk}']").count() == 0

    row.locator("a").click()
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("html[data-charts-drawn=true]")
    chart = page.locator("#prediction-series")
    assert chart.locator("svg").count() == 1
    box = chart.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 150
    records = page.locator("[data-records]")
    assert records.get_attribute("href") == f"/r/{district.village.pk}/{signal.last_day}"

    page.fill("textarea[name=note]", "已派人排查")
    page.click("button[data-acknowledge]")
    page.wait_for_selector("[data-state=acknowledged]")
    signal.refresh_from_db()
    assert signal.state == SignalState.ACKNOWLEDGED and signal.acknowledged_note == "已派人排查"

    page.goto("/prediction/")
    assert page.locator(f"[data-signal='{signal.pk}']").count() == 0
