"""A resident books an appointment and files a request by post on a phone; the department
receives the documents and takes the request to done; the resident follows it by the personal
link and rates it — in real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.services.models import Booking, BookingStatus, ServiceRequest, ServiceRequestStatus

from . import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_resident_books_and_files_by_post_tracked_to_done(page, desk):
    slot = factories.slot(desk.clerk, desk.counter, capacity=2)
    page.set_viewport_size({"width": 360, "height": 740})

    # Books a place at the counter on a phone, without an account.
    page.goto("/services/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click(f"[data-testid=counter-{desk.counter.pk}]")
    page.wait_for_load_state("networkidle")
    page.select_option("#book-form select[name=slot]", str(slot.pk))
    page.fill("#book-form input[name=name]", "陈小明")
    page.fill("#book-form input[name=mobile]", "13812345678")
    page.click("#book-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=booking-status]")).to_have_text("已预约")
    assert Booking.objects.get().status == BookingStatus.BOOKED

    # Files a request by post; a missing mobile is said on the form first.
    page.goto("/services/")
    page.click(f"[data-testid=matter-{desk.matter.pk}] a")
    page.wait_for_load_state("networkidle")
    page.check("input[name=channel][value=post]")
    page.fill("input[name=applicant_name]", "陈小明")
    with page.expect_navigation():
        page.click("#apply-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".field-error").count() >= 1
    assert not ServiceRequest.objects.exists()
    page.fill("input[name=mobile]", "13812345678")
    page.click("#apply-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=status]")).to_have_text("待收邮寄材料")
    link = page.url
    request = ServiceRequest.objects.get()
    expect(page.locator("[data-testid=tracking-no]")).to_have_text(request.tracking_no)

    # The department's clerk receives the documents and takes the request to done.
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, desk.clerk.username)
    page.goto("/services/requests/?status=open")
    page.click(f"text={request.tracking_no}")
    page.wait_for_load_state("networkidle")
    page.fill("#post-form input[name=postal_tracking_no]", "SF1234567890")
    page.check("#post-form input[name=documents][value=身份证]")
    page.click("#post-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#post-form")).to_contain_text("缺少必需材料")
    page.check("#post-form input[name=documents][value=身份证]")
    page.check("#post-form input[name=documents][value=申请表]")
    page.click("#post-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=status]")).to_have_text("已受理")
    for step in ("in_progress", "done"):
        # The next step is chosen on the answer to this one, not on the page it leaves.
        page.select_option("#step-form select[name=status]", step)
        with page.expect_navigation():
            page.click("#step-form button[type=submit]")
        page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=status]")).to_have_text("已办结")

    # The resident's personal link shows it done, with its history, and takes the rating.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(link)
    assert page.locator("[data-testid=status]").inner_text() == "已办结"
    assert page.locator("[data-testid=history] li").count() == 4
    page.check("input[name=rating][value='5']")
    page.click("form[action$='rate/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=rating]")).to_have_text("5")
    assert ServiceRequest.objects.get().status == ServiceRequestStatus.DONE
