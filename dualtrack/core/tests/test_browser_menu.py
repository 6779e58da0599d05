"""The district's menu (templates/base.html) in real Chromium: on a wide screen every item in
sight, wrapped onto more rows as the language needs, none cut off or behind a sideways scroll; on
a phone one row that scrolls sideways, with the page's own item brought into view."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Each item's box, and the menu's and the page's widths.
MEASURE = """() => {
  const nav = document.querySelector(".mainnav");
  const items = [...nav.querySelectorAll("a")].map((a) => {
    const box = a.getBoundingClientRect();
    return {text: a.innerText, left: box.left, right: box.right, top: box.top,
            bottom: box.bottom, height: box.height};
  });
  return {items, scroll: nav.scrollWidth, client: nav.clientWidth,
          page: document.documentElement.scrollWidth, navHeight: nav.offsetHeight};
}"""


def _signed_in(page, user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
    browser_login(page, user.username)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1920, 1024])
def test_every_menu_item_is_in_sight_on_a_wide_screen(page, personas, language, width):
    page.set_viewport_size({"width": width, "height": 1080})
    _signed_in(page, personas.district_admin, language)
    page.goto("/residents/")
    expect(page.locator(".mainnav .waiting")).to_be_attached()  # the badges have come in
    shown = page.evaluate(MEASURE)

    texts = [item["text"] for item in shown["items"]]
    assert len(texts) >= 20 and ("Staff accounts" in texts or "工作人员账号" in texts), texts
    assert shown["scroll"] <= shown["client"]  # nothing behind a sideways scroll
    assert shown["page"] <= width
    for item in shown["items"]:
        assert item["left"] >= 0 and item["right"] <= width, item
        assert item["height"] >= 44, item  # still a finger's target
    expect(page.locator(".mainnav [data-inbox-link]")).to_be_in_viewport(ratio=1)
    page.locator(".mainnav a[href='/staff/']").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_on_a_phone_the_menu_is_one_row_showing_the_pages_own_item(page, personas, language):
    _signed_in(page, personas.district_admin, language)  # the fixture's phone, 390 × 844
    page.goto("/inbox/")  # the menu's last item
    expect(page.locator(".mainnav .waiting")).to_be_attached()
    shown = page.evaluate(MEASURE)

    assert shown["page"] <= 390  # the page itself never scrolls sideways
    assert shown["scroll"] > shown["client"]  # the menu does, in one row
    assert len({round(item["top"]) for item in shown["items"]}) == 1
    assert all(item["height"] >= 44 for item in shown["items"])
    expect(page.locator(".mainnav [aria-current=page]")).to_be_in_viewport(ratio=1)
    # Its first item is a swipe away, and leads home.
    home = page.locator(".mainnav a").first
    home.scroll_into_view_if_needed()
    home.click()
    expect(page).to_have_url(re.compile(r"/$"))
