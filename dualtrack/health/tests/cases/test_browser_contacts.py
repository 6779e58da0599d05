"""A case's contacts are found from the register and one is placed in quarantine, in real
Chromium: the prevention group searches (with a reason), the ranking shows, a click places the
first contact under home quarantine and its row says so."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.health.models import Contact, ContactSearch, QuarantineOrder

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_contacts_found_and_one_quarantined(page, cluster, prevention):
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, prevention.username)
    page.goto(f"/health/cases/{cluster.case.pk}/")
    # Without a reason the search is refused, visibly, and nothing is recorded.
    page.click("[data-testid=search-run]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#search-form")).to_contain_text("请说明排查该病例接触者的原因")
    assert not ContactSearch.objects.exists()
    page.fill("#search-form input[name=reason]", "确诊病例流调")
    page.click("[data-testid=search-run]")
    page.wait_for_load_state("networkidle")
    rows = page.locator("[data-testid=contacts] tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("陈密接")  # coincided twice, within two minutes
    search = ContactSearch.objects.get()
    assert search.reason == "确诊病例流调" and search.run_by == prevention
    contact = Contact.objects.get(name="陈密接")
    page.click(f"[data-testid=quarantine-{contact.pk}]")
    page.locator(f"[data-testid=quarantined-{contact.pk}]").wait_for()
    order = QuarantineOrder.objects.get()
    contact.refresh_from_db()
    assert contact.quarantine_order == order
    assert order.source == "contact" and order.kind == "home"
