"""Request → approve → allocate → send → receive short → receipt PDF, in real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.supplies.models import Entry, EntryKind, SupplyRequest, Transfer, TransferStatus
from dualtrack.supplies.selectors import balance_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_request_to_short_delivery_and_receipt_pdf(page, stocked, personas):
    s = stocked
    # A village cadre asks for masks for the checkpoint of the village.
    browser_login(page, personas.village_cadre.username)
    page.goto(f"/supplies/requests/new/?holder={s.checkpoint.pk}")
    page.fill("textarea[name=justification]", "卡点两周用量")
    page.fill("input[name=staff]", "3")
    page.fill("input[name=shifts]", "2")
    page.fill("input[name=days]", "14")
    page.select_option("select[name=item_0]", str(s.n95.pk))
    page.fill("input[name=quantity_0]", "84")
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    request = SupplyRequest.objects.get()
    card = page.locator(f"[data-testid=request-{request.pk}]")
    expect(card).to_contain_text("3 人 × 2 班 × 14 天 = 84 人次")

    # The supplies group approves it and confirms the proposed allocation.
    page.context.clear_cookies()
    browser_login(page, s.manager.username)
    page.goto("/supplies/requests/?status=pending")
    with page.expect_navigation():
        page.locator(f"[data-testid=request-{request.pk}] button[value=approve]").click()
    page.wait_for_load_state("networkidle")
    request.refresh_from_db()
    assert request.status == "approved"
    page.goto("/supplies/allocation/")
    proposal = page.locator("[data-testid=proposal]")
    expect(proposal).to_contain_text("艾溪村北卡点")
    expect(page.locator("input[name^=qty_]")).to_have_value("84")
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    transfer = Transfer.objects.get()
    assert transfer.status == TransferStatus.IN_TRANSIT
    assert balance_of(holder=s.store, item=s.n95) == 916

    # The cadre receives 80 of the 84, with the reason, and downloads the receipt.
    page.context.clear_cookies()
    browser_login(page, personas.village_cadre.username)
    page.goto("/supplies/")
    page.click(f"#transfers a:has-text('{transfer.voucher_no}')")
    page.wait_for_load_state("networkidle")
    page.fill(f"input[name=received_{s.n95.pk}]", "90")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".errorlist, .alert-error, .field-error").first).to_contain_text("84")
    page.fill(f"input[name=received_{s.n95.pk}]", "80")
    page.fill(f"input[name=reason_{s.n95.pk}]", "一箱受潮")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=transfer-status]")).to_have_text("已签收")
    expect(page.locator("[data-testid=received-by]")).to_contain_text(
        personas.village_cadre.display_name
    )
    assert balance_of(holder=s.checkpoint, item=s.n95) == 80
    assert Entry.objects.get(kind=EntryKind.SHORTFALL).reason == "一箱受潮"
    with page.expect_download() as info:
        page.click("[data-testid=receipt-pdf]")
    download = info.value
    assert download.suggested_filename == f"receipt-{transfer.voucher_no}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a_holders_ledger_scrolls_inside_its_table_on_a_phone(page, stocked):
    """The ledger's correction forms carry visually hidden labels; placed absolutely outside a
    positioned scroller, they widened the whole page to 800 px and more on a 360 px phone."""
    page.set_viewport_size({"width": 360, "height": 780})
    browser_login(page, stocked.manager.username)
    page.goto(f"/supplies/holders/{stocked.store.pk}/")
    assert page.locator("label.visually-hidden[for^=reverse-]").count() == 2
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


def test_the_store_sends_to_a_holder_found_by_name(page, stocked):
    """No dropdown of every holder: part of a name brings up the matches to choose from."""
    s = stocked
    browser_login(page, s.manager.username)
    page.goto(f"/supplies/holders/{s.store.pk}/")
    page.click("#send summary")
    page.fill("[data-testid=destination-search]", "麻丘社区")
    option = page.locator(f"#destination-options input[value='{s.far.pk}']")
    option.wait_for()
    expect(page.locator("#destination-options input[type=radio]")).to_have_count(2)  # and its gate
    option.check()
    page.select_option("select[name=t-item_0]", str(s.gel.pk))
    page.fill("input[name=t-quantity_0]", "12")
    with page.expect_navigation():
        page.click("#send button[type=submit]")
    page.wait_for_load_state("networkidle")
    transfer = Transfer.objects.get()
    assert transfer.destination_id == s.far.pk
    assert balance_of(holder=s.store, item=s.gel) == 188


def test_a_refused_send_comes_back_open_with_its_error_and_the_search_still_works(page, stocked):
    """The send form posts to its own view; sending more than the store holds returns the
    holder's page with the send form open, the error shown and the chosen holder kept, and the
    destination search (htmx) works on that page as on the first."""
    s = stocked
    browser_login(page, s.manager.username)
    page.goto(f"/supplies/holders/{s.store.pk}/")
    page.click("#send summary")
    page.fill("[data-testid=destination-search]", "麻丘社区")
    page.locator(f"#destination-options input[value='{s.far.pk}']").check()
    page.select_option("select[name=t-item_0]", str(s.gel.pk))
    page.fill("input[name=t-quantity_0]", "5000")
    # The form was opened by hand on the first page: wait for the answer, not for an open form.
    with page.expect_navigation():
        page.click("#send button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#send details[open]")).to_have_count(1)
    expect(page.locator("#send")).to_contain_text("200")  # only 200 in stock
    expect(page.locator(f"#destination-options input[value='{s.far.pk}']")).to_be_checked()
    page.fill("[data-testid=destination-search]", "艾溪村")
    page.locator(f"#destination-options input[value='{s.village.pk}']").wait_for()
    assert not Transfer.objects.exists()
