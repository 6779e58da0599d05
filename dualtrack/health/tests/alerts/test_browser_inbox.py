"""In real Chromium on a 360 px phone: a fever found in screening, raised by ``alert_raise`` for
the liaison cadre of the village, is counted in the cadre's menu and listed in their inbox; the
cadre opens it, handles it as cleared (htmx), and it leaves the inbox and the count."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.health.models import AlertKind, QuarantineKind
from dualtrack.health.services.alerts import alert_raise

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_screening_fever_reaches_the_liaisons_inbox_and_leaves_it_once_handled(
    page, personas, district, liaison
):
    with transaction.atomic():
        alert = alert_raise(
            actor=personas.village_cadre,
            kind=AlertKind.SCREENING_FEVER,
            area=district.group,
            name="赵发热",
            detail="体温 38.7 °C",
            proposed=QuarantineKind.HOME,
        )
    assert alert.liaison == liaison
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, personas.village_cadre.username)

    page.goto("/residents/")
    expect(page.locator(".mainnav [data-waiting-count=health_alerts]")).to_have_text("1")
    page.locator(".mainnav [data-inbox-link]").click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r".*/inbox/$"))
    item = page.locator(f'[data-inbox="health.alert:{alert.pk}"]')
    expect(item).to_contain_text("赵发热")
    expect(item).to_contain_text("摸排发现发热")
    expect(item).to_contain_text("建议：居家隔离")
    # Nothing of the inbox runs off a 360 px screen.
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 360

    item.locator("a").click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(rf".*/health/alerts/{alert.pk}/$"))
    expect(page.locator("[data-person]")).to_have_text("赵发热")
    expect(page.locator("[data-proposed]")).to_have_text("居家隔离")
    page.select_option("select[name=outcome]", "cleared")
    page.fill("textarea[name=note]", "复测体温 36.6 °C")
    page.locator("#handling button[type=submit]").click()
    expect(page.locator("#handling [data-outcome=cleared]")).to_contain_text("已排除")
    expect(page.locator("#handling")).to_contain_text("复测体温 36.6 °C")
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 360

    page.goto("/inbox/")
    expect(page.locator("#inbox-items")).to_contain_text("暂无待办。")
    expect(page.locator(f'[data-inbox="health.alert:{alert.pk}"]')).to_have_count(0)
    expect(page.locator(".mainnav [data-waiting-count=health_alerts]")).to_have_text("0")
