"""Screening in real Chromium on a 360 px phone: a cadre screens a household offline, then the
phone comes back online and the campaign's coverage moves by exactly one household; a fever
found in screening opens an alert for the village's liaison cadre."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.health.models import AlertKind, CoverageCounter, HealthAlert, HouseholdVisit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WAIT_MS = 20_000


def _visited(campaign) -> tuple[int, int]:
    rows = CoverageCounter.objects.filter(campaign=campaign)
    return sum(r.households_visited for r in rows), sum(r.residents_covered for r in rows)


def _open_phone(page, campaign, household) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, "cadre")
    page.goto(f"/health/screening/{campaign.pk}/screen/")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true", timeout=WAIT_MS)
    expect(page.locator(f"[data-household='{household.pk}']")).to_be_visible(timeout=WAIT_MS)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll


def _screen(page, household, temperatures: list[str]) -> None:
    page.locator(f"[data-household='{household.pk}']").click()
    form = page.locator("#visit-form")
    expect(form).to_be_visible()
    form.locator("input[name=outcome][value=visited]").check()
    inputs = form.locator("input[name^=temperature-]")
    expect(inputs).to_have_count(len(temperatures))
    for i, degrees in enumerate(temperatures):
        inputs.nth(i).fill(degrees)
    form.locator("button[type=submit]").click()


def test_a_household_screened_offline_counts_once_when_back_online(page, campaign, homes):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _open_phone(page, campaign, homes.first)
    assert _visited(campaign) == (0, 0)

    page.context.set_offline(True)
    page.reload()  # served by the service worker; the work list from the phone's storage
    expect(page.locator(f"[data-household='{homes.first.pk}']")).to_be_visible()
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    # What the phone can check, it checks: a temperature out of range is refused there.
    page.locator(f"[data-household='{homes.first.pk}']").click()
    form = page.locator("#visit-form")
    form.locator("input[name=outcome][value=visited]").check()
    form.locator("input[name^=temperature-]").nth(0).fill("46")
    form.locator("input[name^=temperature-]").nth(1).fill("36.4")
    form.locator("button[type=submit]").click()
    expect(form.locator(".field-error")).to_contain_text("34")
    form.locator("[data-visit-cancel]").click()

    _screen(page, homes.first, ["36.6", "36.4"])
    expect(page.locator("[data-queue-count]")).to_have_text("1")
    expect(page.locator(f"[data-household='{homes.first.pk}']")).to_have_count(0)
    assert HouseholdVisit.objects.count() == 0 and _visited(campaign) == (0, 0)

    page.context.set_offline(False)
    expect(page.locator("[data-queue-status]")).to_be_hidden(timeout=WAIT_MS)
    expect(page.locator("[data-queue-count]")).to_have_text("0")
    assert HouseholdVisit.objects.count() == 1
    assert _visited(campaign) == (1, 2)  # exactly one household, its two residents

    page.goto(f"/health/screening/{campaign.pk}/")
    total = page.locator("[data-testid=coverage-total]")
    expect(total).to_have_attribute("data-households-visited", "1")
    expect(page.locator("#coverage-chart svg")).to_have_count(1)
    assert not [e for e in errors if "Content Security Policy" in e]


def test_a_fever_found_in_screening_opens_an_alert_for_the_liaison(page, campaign, homes, liaison):
    _open_phone(page, campaign, homes.second)
    _screen(page, homes.second, ["38.6", "36.5"])
    banner = page.locator("[data-screen-banner] .screen-danger")
    expect(banner).to_contain_text("发热")
    expect(page.locator("[data-queue-status]")).to_be_hidden(timeout=WAIT_MS)
    alert = HealthAlert.objects.get()
    assert alert.kind == AlertKind.SCREENING_FEVER
    assert alert.name == "王五"
    assert alert.liaison == liaison and alert.liaison.user.username == "cadre"
    assert alert.handled_at is None and alert.proposed == "home"
