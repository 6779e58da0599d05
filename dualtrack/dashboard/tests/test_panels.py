"""Every panel of the wall screen equals the same figure computed from the records (GROUP BY over
the raw tables, tests/recount.py), on the demo district, for the district's board and a town's."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualtrack.areas.models import Area, AreaKind
from dualtrack.core import platform
from dualtrack.core.models import User
from dualtrack.dashboard.selectors import board_panels_for
from dualtrack.dashboard.tests import recount
from dualtrack.enterprises.models import DailySnapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]

EVERY_PANEL = {
    "checkpoints.map",
    "checkpoints.flows",
    "health.curve",
    "health.cases",
    "health.screening",
    "prediction.signals",
    "prediction.rt",
    "enterprises.resumption",
    "enterprises.towns",
    "enterprises.workers",
    "jobs.hires",
    "supplies.cover",
    "subsidies.budget",
    "volunteers.duty",
    "command.overdue",
}


@pytest.fixture
def demo():
    admin = User.objects.get(username="admin")
    root = Area.objects.get(kind=AreaKind.DISTRICT)
    town = Area.objects.get(kind=AreaKind.TOWN, name="昌东镇")
    return admin, root, town


def _panels(user, area, day=None):
    board = board_panels_for(user=user, area=area, day=day)
    return {panel.key: panel.data for panel in board.panels}


# The statements each panel's data take on a board (the user's grants and enterprise already
# read, as in a request): the refresh recomputes every panel each interval.
STATEMENTS = {
    "health.cases": 2,  # the cases' counts in one aggregate, the people under quarantine
    "checkpoints.map": 3,
    "checkpoints.flows": 1,
    "health.curve": 1,  # by onset and by report date in one read
    "health.screening": 3,  # the campaign, its areas, one sum of the counters
    "prediction.signals": 1,
    "prediction.rt": 1,
    "volunteers.duty": 4,  # the shifts' staff counted with the gates in sight as a subquery
    "enterprises.resumption": 3,  # the towns in sight read once; then shared with the next two
    "enterprises.towns": 0,
    "enterprises.workers": 0,
    "jobs.hires": 1,
    "subsidies.budget": 3,
    "supplies.cover": 1,  # the stock and the week's use, with the items' names, in one read
    "command.overdue": 1,
}


def test_every_app_registers_its_panels_once():
    keys = [panel.key for panel in platform.panels()]
    assert len(keys) == len(set(keys))
    assert set(keys) >= EVERY_PANEL


def _every_panel_has_data(demo):
    admin, root, town = demo
    for area in (root, town):
        panels = _panels(admin, area)
        assert set(panels) >= EVERY_PANEL, area
    district = _panels(admin, root)
    assert sum(a["value"] for a in district["checkpoints.map"]["areas"]) > 0
    assert sum(district["jobs.hires"]["series"][0]["values"]) > 0
    assert any(v is not None for v in district["prediction.rt"]["series"][0]["values"])
    assert district["supplies.cover"]["x"]


def _checkpoints_equal(demo):
    admin, root, town = demo
    today = timezone.localdate()
    for area in (root, town):
        panels = _panels(admin, area)
        expected = recount.checkpoints_map(area, today)
        shown = {
            a["code"]: (a["value"], *a["details"].values())
            for a in panels["checkpoints.map"]["areas"]
        }
        assert shown == expected
        assert set(shown) == {c.code for c in Area.objects.filter(parent=area)}
        flows = recount.checkpoints_flows(area, today)
        series = [s["values"] for s in panels["checkpoints.flows"]["series"]]
        assert series == [flows["i"], flows["o"], flows["f"]]


def test_every_panel_has_data_and_a_new_passage_counts_by_the_next_refresh(demo, client):
    from dualtrack.checkpoints.models import Checkpoint
    from dualtrack.checkpoints.services.passage_input import PassageInput
    from dualtrack.checkpoints.services.passages import passage_register
    from dualtrack.jobs.tests.factories import id_number

    _every_panel_has_data(demo)
    admin, root, town = demo
    checkpoint = Checkpoint.objects.filter(area__code__startswith=town.code).first()
    before = {a["code"]: a["value"] for a in _panels(admin, root)["checkpoints.map"]["areas"]}
    passage_register(
        actor=admin,
        checkpoint=checkpoint,
        data=PassageInput(
            direction="in",
            temperature="36.5",
            name="王小明",
            id_number=id_number(990001),
            phone="13907910001",
            origin_code="360121",
            purpose="回家",
        ),
    )
    # Within the refresh interval the board is the one just computed; then it counts the passage.
    kept = {a["code"]: a["value"] for a in _panels(admin, root)["checkpoints.map"]["areas"]}
    assert kept == before
    cache.clear()  # the interval is over
    after = {a["code"]: a["value"] for a in _panels(admin, root)["checkpoints.map"]["areas"]}
    assert after[town.code] == before[town.code] + 1
    # Counts only: no name, ID number or mobile on the screen.
    client.force_login(admin)
    body = client.get(f"/api/dashboard/boards/{root.pk}").content.decode()
    assert "王小明" not in body and id_number(990001) not in body and "13907910001" not in body
    assert not re.search(r"(?<!\d)(1\d{10}|\d{17}[\dX])(?!\d)", body)
    assert after == {
        code: n for code, (n, _, _) in recount.checkpoints_map(root, timezone.localdate()).items()
    }


def _health_equal(demo):
    admin, root, town = demo
    today = timezone.localdate()
    for area in (root, town):
        panels = _panels(admin, area)
        curve = recount.health_curve(area, today)
        assert [s["values"] for s in panels["health.curve"]["series"]] == [
            curve["onset_date"],
            curve["report_date"],
        ]
        assert [i["value"] for i in panels["health.cases"]["items"]] == recount.health_cases(
            area, today
        )
        assert panels["health.screening"]["value"] == recount.health_screening(area, today)


def _enterprises_equal(demo):
    admin, root, town = demo
    today = timezone.localdate()
    for area in (root, town):
        panels = _panels(admin, area)
        towns = recount.enterprises_totals(area, today)
        enterprises = sum(t["enterprises"] for t in towns.values())
        resumed = sum(t["resumed"] for t in towns.values())
        workers = sum(t["workers"] for t in towns.values())
        items = panels["enterprises.resumption"]["items"]
        assert items[0]["value"] == round(100 * resumed / enterprises, 1)
        assert items[1]["value"] == resumed and items[1]["unit"] == f"/ {enterprises}"
        assert items[2]["value"] == workers
        days = [datetime.date.fromisoformat(d) for d in panels["enterprises.workers"]["x"]]
        assert days and max(days) < today
        assert panels["enterprises.workers"]["series"][0]["values"] == (
            recount.enterprises_workers_by_day(area, days)
        )
    by_town = _panels(admin, root)["enterprises.towns"]
    rates = dict(zip(by_town["x"], by_town["series"][0]["values"], strict=True))
    for code, t in recount.enterprises_totals(root, today).items():
        name = Area.objects.get(code=code).name
        assert rates[name] == round(100 * t["resumed"] / t["enterprises"], 1)


def _hires_and_supplies_equal(demo):
    admin, root, town = demo
    today = timezone.localdate()
    for area in (root, town):
        panels = _panels(admin, area)
        assert panels["jobs.hires"]["series"][0]["values"] == recount.jobs_hires(area, today)
        cover = panels["supplies.cover"]
        shown = dict(zip(cover["x"], cover["series"][0]["values"], strict=True))
        assert shown == recount.supplies_cover(area, today)


def _subsidies_volunteers_and_command_equal(demo):
    admin, root, town = demo
    today = timezone.localdate()
    for area in (root, town):
        panels = _panels(admin, area)
        budget = panels["subsidies.budget"]
        paid, unpaid = budget["series"][0]["values"], budget["series"][1]["values"]
        shown = dict(zip(budget["x"], zip(paid, unpaid, strict=True), strict=True))
        assert {k: v for k, v in shown.items() if any(v)} == recount.subsidies_budget(area)
        duty = [item["value"] for item in panels["volunteers.duty"]["items"]]
        assert tuple(duty[:2]) == recount.volunteers_on_duty(area, today)
        overdue = panels["command.overdue"]["items"][0]["value"]
        assert overdue == recount.directives_overdue(area)
    assert recount.directives_overdue(root) > 0  # the demo's overdue directives are shown
    # Budgets are the district's: on its board only, as what is left of each once the paid and
    # the approved are taken off; the three stack into one bar a clause, as long as its budget.
    district = _panels(admin, root)["subsidies.budget"]
    assert len(district["series"]) == 3
    assert {s["stack"] for s in district["series"]} == {"clause"}
    assert [s.get("rest", False) for s in district["series"]] == [False, False, True]
    committed = recount.subsidies_budget(root)
    budgets = recount.subsidies_budgets()
    left = dict(zip(district["x"], district["series"][2]["values"], strict=True))
    assert any(left.values())
    for name, budget in budgets.items():
        paid, unpaid = committed.get(name, (0.0, 0.0))
        assert left[name] == max(budget - paid - unpaid, 0.0)
    assert len(_panels(admin, town)["subsidies.budget"]["series"]) == 2


def _prediction_equal(demo):
    from dualtrack.prediction.models import RtEstimate, Signal

    admin, root, town = demo
    today = timezone.localdate()
    for area in (root, town):
        panels = _panels(admin, area)
        stored = {
            e.day.isoformat(): round(e.mean, 2)
            for e in RtEstimate.objects.filter(series="health.cases_by_onset", area=area)
        }
        rt = panels["prediction.rt"]
        shown = {
            d: v for d, v in zip(rt["x"], rt["series"][0]["values"], strict=True) if v is not None
        }
        assert shown == {d: v for d, v in stored.items() if d in rt["x"]}
        open_signals = (
            Signal.objects.filter(area__code__startswith=area.code, first_day__lte=today)
            .exclude(state="closed")
            .count()
        )
        assert len(panels["prediction.signals"]["rows"]) == min(8, open_signals)


def test_every_panel_equals_the_figure_from_the_records(demo):
    """One seeding for all (it takes a while): the district's board and a town's, app by app.
    Today's enterprise figures come from the working copy of the 24:00 snapshot."""
    assert DailySnapshot.objects.filter(date=timezone.localdate()).exists()
    _checkpoints_equal(demo)
    _health_equal(demo)
    _enterprises_equal(demo)
    _hires_and_supplies_equal(demo)
    _subsidies_volunteers_and_command_equal(demo)
    _prediction_equal(demo)


def test_each_panel_reads_its_figures_in_few_statements(demo):
    admin, root, town = demo
    day = timezone.localdate()
    for area in (root, town):
        platform.panels_for(user=admin, area=area, day=day)  # the user's grants, as a request
        counted = {}
        with platform.one_refresh():
            for panel in platform.panels():
                with CaptureQueriesContext(connection) as queries:
                    assert panel.data(user=admin, area=area, day=day) is not None
                counted[panel.key] = len(queries)
        expected = dict(STATEMENTS)
        if area == town:
            expected["subsidies.budget"] -= 1  # a budget is the district's: not on a town's
        assert {k: v for k, v in counted.items() if k in expected} == expected, area.name
