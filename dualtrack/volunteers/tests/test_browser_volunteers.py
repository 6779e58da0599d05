"""A volunteer signs up on a phone, the village approves, puts them on a checkpoint's shift,
and the volunteer signs in and confirms it — in real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.areas.tests.factories import make_id_number
from dualtrack.volunteers.models import AssignmentStatus, DutyAssignment, Volunteer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_volunteer_signs_up_is_approved_put_on_a_shift_and_confirms(
    page, district, personas, shift
):
    # Signs up on a 360 px phone without an account; a wrong mobile is said on the form first.
    page.set_viewport_size({"width": 360, "height": 740})
    # The first page of a browser context starts its renderer: on a busy machine that alone
    # can take longer than the default timeout.
    page.goto("/volunteers/join/", timeout=60_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("input[name=name]", "周志愿")
    page.fill("input[name=mobile]", "1234")
    page.fill("input[name=id_number]", make_id_number())
    page.fill("input[name=skills]", "驾驶")
    page.select_option("select[name=villages]", [str(district.village.pk)])
    page.fill("input[name=hours_per_week]", "16")
    page.click("#volunteer-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_mobile_error")).to_be_visible()
    assert not Volunteer.objects.exists()
    page.fill("input[name=mobile]", "13912340001")
    page.click("#volunteer-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=signed-up]")).to_be_visible()
    volunteer = Volunteer.objects.get()

    # The village cadre approves and gets the login to pass on.
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, personas.village_cadre.username)
    page.goto("/volunteers/signups/?status=pending")
    page.click(f"[data-testid=volunteer-{volunteer.pk}] a")
    page.wait_for_load_state("networkidle")
    page.click("[data-testid=approve]")
    page.wait_for_load_state("networkidle")
    # The login is shown only on the answer to the approval, never on the volunteer's page.
    expect(page.locator("[data-testid=approved]")).to_be_visible()
    username = page.locator("[data-testid=username]").inner_text()
    password = page.locator("[data-testid=password]").inner_text()

    # Puts the volunteer on the checkpoint's shift from the town's roster.
    page.goto(f"/volunteers/roster/?area={district.village.pk}")
    page.click(f"[data-testid=shift-{shift.pk}] button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.select_option("#assign-form select[name=person]", f"volunteer:{volunteer.pk}")
    with page.expect_navigation():
        page.click("#assign-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assignment = DutyAssignment.objects.get()
    expect(page.locator(f"[data-testid=assignment-{assignment.pk}]")).to_be_visible()

    # The volunteer signs in on the phone and confirms the duty.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, username, password)
    page.goto("/volunteers/mine/")
    row = page.locator(f"[data-testid=mine-{assignment.pk}]")
    expect(row).to_contain_text(shift.checkpoint.name)
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"[data-testid=status-{assignment.pk}]")).to_have_text("已确认")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CONFIRMED
