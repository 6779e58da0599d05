"""Sign-in and the language switch, in real Chromium on a phone-sized screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_in_lands_on_the_home_page_in_chinese(page, personas):
    browser_login(page, personas.town_officer.username)
    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    assert page.locator("h1").first.inner_text().endswith("您好")
    assert "昌东镇" in page.content()


def test_wrong_password_is_refused_with_a_message(page, personas):
    browser_login(page, personas.town_officer.username, password="wrong-" + PASSWORD)
    assert page.url.endswith("/login/")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    assert "密码" in alert.inner_text()


def test_signed_out_visitor_is_sent_to_sign_in(page, personas):
    page.goto("/residents/")
    assert "/login/" in page.url


def test_language_switch_is_remembered_for_the_user(page, personas):
    browser_login(page, personas.village_cadre.username)
    with page.expect_navigation():
        page.click("form.lang-switch button[value=en]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "Your roles" in page.content()
    # A new browser session (no cookies) still gets English once the same user signs in.
    page.context.clear_cookies()
    browser_login(page, personas.village_cadre.username)
    assert page.evaluate("document.documentElement.lang") == "en"
    with page.expect_navigation():
        page.click("form.lang-switch button[value=zh-hans]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert "您的角色" in page.content()
