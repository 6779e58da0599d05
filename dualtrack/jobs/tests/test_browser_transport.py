"""A trip is planned, riders are added with their declarations on a phone, the manifest PDF
downloads, boarding and arrival are checked off, and the arrivals appear at the receiving
checkpoint — in real Chromium."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import expect

from conftest import browser_login
from dualtrack.checkpoints.models import Passage
from dualtrack.checkpoints.services.registry import checkpoint_create, checkpoint_staff_set
from dualtrack.enterprises.models import Employee
from dualtrack.jobs.models import Rider, Trip

from .factories import id_number

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _reference_data(db):
    """The GB/T 4754 sections and divisions, which data migrations load: a live-server test
    elsewhere may have flushed them (reloading is a no-op when they are there)."""
    sections = importlib.import_module("dualtrack.areas.migrations.0002_industry_sectors")
    divisions = importlib.import_module("dualtrack.enterprises.migrations.0002_industry_divisions")
    sections.add_sections(django_apps, None)
    divisions.add_divisions(django_apps, None)


def test_a_trip_from_plan_to_arrival(
    page, personas, district, wg_enterprise, enterprise, ent_user, risk_area
):
    gate = checkpoint_create(
        actor=personas.district_admin, area=district.village, name="高新区接收点"
    )
    checkpoint_staff_set(
        actor=personas.district_admin, checkpoint=gate, users=[personas.checkpoint_staff]
    )

    # The group plans a bus from 于都.
    browser_login(page, wg_enterprise.username)
    page.goto("/employment/transport/new/")
    page.select_option("#trip-form select[name=mode]", "bus")
    page.fill("#trip-form input[name=origin]", "江西省赣州市于都县")
    page.fill("#trip-form input[name=origin_code]", "360731")
    page.fill("#trip-form input[name=date]", timezone.localdate().isoformat())
    page.fill("#trip-form input[name=capacity]", "45")
    page.fill("#trip-form input[name=cost]", "12000")
    page.select_option("#trip-form select[name=checkpoint]", str(gate.pk))
    page.fill("#trip-form textarea[name=credit_codes]", enterprise.credit_code)
    with page.expect_navigation():
        page.click("#trip-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    trip = Trip.objects.get()
    assert page.url.endswith(f"/employment/transport/{trip.pk}/")

    # The enterprise adds two riders with their declarations on a phone.
    page.context.clear_cookies()
    browser_login(page, ent_user.username)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/employment/transport/{trip.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    riders = [
        ("赵返岗", id_number(701), "13900137001", ""),
        ("钱返岗", id_number(702), "13900137002", "420100"),
    ]
    for name, number, mobile, stay in riders:
        page.fill("#rider-form input[name=name]", name)
        page.fill("#rider-form input[name=id_number]", number)
        page.fill("#rider-form input[name=mobile]", mobile)
        page.fill("#rider-form input[name=temperature]", "36.4")
        if stay:
            page.fill("#rider-form input[name=risk_stay_code]", stay)
            left = timezone.localdate() - datetime.timedelta(days=3)
            page.fill("#rider-form input[name=risk_stay_on]", left.isoformat())
        # The next rider is filled in on the answer to this one, not on the page it leaves.
        with page.expect_navigation():
            page.click("#rider-form button[type=submit]")
        page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=riders] li")).to_have_count(2)

    # The manifest downloads as a PDF.
    with page.expect_download() as download_info:
        page.click("[data-testid=manifest-pdf]")
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # The group checks boarding off on the phone.
    page.context.clear_cookies()
    browser_login(page, wg_enterprise.username)
    page.goto(f"/employment/transport/{trip.pk}/")
    for rider in Rider.objects.filter(trip=trip):
        with page.expect_navigation():
            page.click(f"[data-testid=board-{rider.pk}]")
        page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=trip-status]")).to_have_text("登车中")

    # The receiving checkpoint's staff check the arrival off.
    page.context.clear_cookies()
    browser_login(page, personas.checkpoint_staff.username)
    page.goto(f"/employment/transport/{trip.pk}/")
    page.click("[data-testid=arrive]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=trip-status]")).to_have_text("已到达")

    # The arrivals are at the receiving checkpoint, and on the roster (the risk-area rider in
    # quarantine).
    assert Passage.objects.filter(checkpoint=gate).count() == 2
    page.goto(f"/checkpoints/{gate.pk}/register/")
    body = page.locator("body").inner_text()
    assert "赵返岗" in body and "钱返岗" in body
    assert Employee.objects.get(enterprise=enterprise, name="钱返岗").quarantine_needed
    assert not Employee.objects.get(enterprise=enterprise, name="赵返岗").quarantine_needed
