"""The menu's count of open alerts, in real Chromium: loaded after the page by htmx, on every
page with the district's menu, and it leads to the alerts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_menu_shows_the_open_alerts_and_leads_to_them(page, register, personas):
    register(name="发热者", temperature=Decimal("38.6"))
    browser_login(page, personas.town_officer.username)
    page.goto("/residents/")
    badge = page.locator(".mainnav [data-waiting-count=alerts]")
    expect(badge).to_have_text("1")
    with page.expect_navigation():
        page.locator(".mainnav [data-waiting=alerts]").click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r".*/checkpoints/alerts/$"))
    assert "发热者" in page.content()
