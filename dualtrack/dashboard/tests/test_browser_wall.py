"""The wall screen in real Chromium at 1920 × 1080, on the demo district: every panel drawn with
data and on the screen, a passage registered meanwhile shown without a reload, and a town opened
from the map."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conftest import PASSWORD, browser_login
from dualtrack.areas.models import Area, AreaKind
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.checkpoints.services.passage_input import PassageInput
from dualtrack.checkpoints.services.passages import passage_register
from dualtrack.core.models import User
from dualtrack.dashboard.tests.test_panels import EVERY_PANEL
from dualtrack.jobs.tests.factories import id_number

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _map_label(page) -> str:
    return page.locator("#panel-checkpoints-map .panel-body").get_attribute("aria-label") or ""


def test_the_wall_screen_shows_refreshes_and_drills_down(page, settings, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("seed_demo", "--scale", "0.02", stdout=io.StringIO())
    settings.DASHBOARD_REFRESH_SECONDS = 1
    town = Area.objects.get(kind=AreaKind.TOWN, name="昌东镇")

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.set_default_timeout(60_000)  # a shared machine; the live server answers one at a time
    browser_login(page, "admin")
    page.goto("/dashboard/")
    for key in EVERY_PANEL:
        panel = page.locator(f"[data-panel='{key}']")
        panel.wait_for()
        assert panel.get_attribute("data-filled") == "1", key
        box = panel.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100, key
        assert box["x"] >= 0 and box["y"] >= 0, key
        assert box["x"] + box["width"] <= 1920 and box["y"] + box["height"] <= 1080, key
        if panel.get_attribute("data-chart") not in ("figures", "list"):
            assert panel.locator("canvas").count() >= 1, key
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    # The subsidies' yuan along a panel's bottom: 100,000,000 written out ran into its
    # neighbours; in short (亿, 万) and hidden where they would still meet.
    labels = page.evaluate(
        """() => {
            const box = document.querySelector("[data-panel='subsidies.budget'] .panel-body");
            const label = echarts.getInstanceByDom(box).getOption().xAxis[0].axisLabel;
            return [label.hideOverlap, [0, 20000000, 150000000].map(v => label.formatter(v))];
        }"""
    )
    assert labels == [True, ["0", "2000万", "1.5亿"]]
    # Paid, approved and the budget left are one bar a clause, stacked; every clause is named,
    # in letters as large as a row has room for.
    stacks, rows = page.evaluate(
        """() => {
            const box = document.querySelector("[data-panel='subsidies.budget'] .panel-body");
            const option = echarts.getInstanceByDom(box).getOption();
            const label = option.yAxis[0].axisLabel;
            return [option.series.map(s => s.stack), [label.interval, label.fontSize]];
        }"""
    )
    assert stacks == ["clause", "clause", "clause"]
    assert rows[0] == 0 and 11 <= rows[1] <= 16
    prevention = page.locator(".track-prevention").bounding_box()
    production = page.locator(".track-production").bounding_box()
    assert prevention["x"] + prevention["width"] <= production["x"]  # side by side
    label = _map_label(page)
    assert town.name in label

    # A passage registered now appears on the map by the next refresh, without a reload.
    admin = User.objects.get(username="admin")
    checkpoint = Checkpoint.objects.filter(area__code__startswith=town.code).first()
    page.evaluate("window.__same_document = true")
    passage_register(
        actor=admin,
        checkpoint=checkpoint,
        data=PassageInput(
            direction="in",
            temperature="36.6",
            name="王小明",
            id_number=id_number(990002),
            phone="13907910002",
            origin_code="360121",
            purpose="回家",
        ),
    )
    page.wait_for_function(
        "label => document.querySelector('#panel-checkpoints-map .panel-body')"
        ".getAttribute('aria-label') !== label",
        arg=label,
        timeout=60_000,
    )
    assert page.evaluate("window.__same_document") is True  # not reloaded
    assert "王小明" not in page.content()  # counts only, no names

    # Clicking the town on the map opens the town's board.
    x, y = page.evaluate(
        """code => {
            const box = document.querySelector('#panel-checkpoints-map .panel-body');
            const chart = echarts.getInstanceByDom(box);
            const geo = JSON.parse(document.getElementById('wall-map').textContent);
            const ring = geo.features.find(f => f.properties.code === code).geometry.coordinates[0];
            const lon = (ring[0][0] + ring[2][0]) / 2, lat = (ring[0][1] + ring[2][1]) / 2;
            const [px, py] = chart.convertToPixel({seriesIndex: 0}, [lon, lat]);
            const r = box.getBoundingClientRect();
            return [r.left + px, r.top + py];
        }""",
        town.code,
    )
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert page.url.endswith(f"/dashboard/{town.pk}/")
    assert town.name in page.locator("h1").inner_text()
    page.locator("[data-panel='checkpoints.map'][data-filled='1']").wait_for()
    villages = Area.objects.filter(parent=town).values_list("name", flat=True)
    assert any(name in _map_label(page) for name in villages)
    expect(page.locator("[data-testid=wall-up]")).to_be_visible()
