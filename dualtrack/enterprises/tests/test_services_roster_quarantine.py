"""A worker's quarantine follows HQ's one risk-area list, the one the checkpoints alert on, as it
stood on the day the worker came back."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dualtrack.areas.models import RiskLevel
from dualtrack.areas.services.risk_areas import risk_area_create, risk_area_end
from dualtrack.enterprises.services.roster import clean_employee, employee_create

TODAY = timezone.localdate


def _back(ent_user, enterprise, *, returned_from: str, days_ago: int, name: str = "甲"):
    data = clean_employee(
        name=name,
        returned_from=returned_from,
        returned_on=TODAY() - datetime.timedelta(days=days_ago),
    )
    return employee_create(actor=ent_user, enterprise=enterprise, data=data)


def test_a_return_from_a_listed_region_needs_quarantine_from_the_day_of_return(
    ent_user, enterprise, risk_area
):
    worker = _back(ent_user, enterprise, returned_from="420106", days_ago=3)
    assert worker.quarantine_needed
    assert worker.quarantine_until == TODAY() - datetime.timedelta(days=3) + datetime.timedelta(
        days=14
    )


def test_the_quarantine_length_is_the_district_setting(ent_user, enterprise, risk_area, settings):
    settings.QUARANTINE_DAYS = 21
    worker = _back(ent_user, enterprise, returned_from="420106", days_ago=3)
    assert worker.quarantine_until == TODAY() + datetime.timedelta(days=18)


def test_a_region_hq_lists_today_counts_for_the_roster_at_once(ent_user, enterprise, personas):
    assert not _back(ent_user, enterprise, returned_from="330302", days_ago=1).quarantine_needed
    risk_area_create(
        actor=personas.district_admin,
        region_code="330300",
        level=RiskLevel.MEDIUM,
        effective_from=TODAY() - datetime.timedelta(days=2),
        source="浙江省指挥部通告",
    )
    later = _back(ent_user, enterprise, returned_from="330302", days_ago=1, name="乙")
    assert later.quarantine_needed


@pytest.mark.parametrize(
    ("days_ago", "needed"),
    [(12, False), (10, True), (5, True), (4, False)],
    ids=["before the listing", "its first day", "its last day", "after it ended"],
)
def test_only_the_list_of_the_day_of_return_counts(
    ent_user, enterprise, personas, risk_area, days_ago, needed
):
    risk_area_end(
        actor=personas.district_admin,
        risk_area=risk_area,
        on=TODAY() - datetime.timedelta(days=5),
    )
    worker = _back(ent_user, enterprise, returned_from="421000", days_ago=days_ago)
    assert worker.quarantine_needed is needed
    assert (worker.quarantine_until is not None) is needed


def test_a_region_outside_the_list_needs_no_quarantine(ent_user, enterprise, risk_area):
    worker = _back(ent_user, enterprise, returned_from="360111", days_ago=1)
    assert not worker.quarantine_needed and worker.quarantine_until is None


def test_the_roster_names_regions_and_shows_an_ended_quarantine_as_ended(
    client, ent_user, enterprise, risk_area, settings
):
    """The roster showed 420106 and "quarantine until" a day long past as still active."""
    settings.QUARANTINE_DAYS = 5
    ended = _back(ent_user, enterprise, returned_from="420106", days_ago=9, name="甲")
    current = _back(ent_user, enterprise, returned_from="420106", days_ago=1, name="乙")
    assert ended.quarantine_needed and not ended.quarantine_active
    assert current.quarantine_active
    client.force_login(ent_user)
    page = client.get("/portal/roster/").text
    row = page.split(f'data-testid="employee-{ended.pk}"')[1].split("</tr>")[0]
    assert "湖北省武汉市武昌区" in row and "420106" not in row
    assert 'data-testid="quarantine-ended"' in row and 'data-testid="quarantine"' not in row
    assert 'data-testid="quarantine"' in page.split(f'data-testid="employee-{current.pk}"')[1]
    only = client.get("/portal/roster/?quarantine=1").text
    assert f"employee-{current.pk}" in only and f"employee-{ended.pk}" not in only
    assert client.get("/portal/").context["quarantine_count"] == 1
    api = client.get(f"/api/enterprises/enterprises/{enterprise.pk}/employees").json()
    assert {e["name"]: e["quarantine_active"] for e in api} == {"甲": False, "乙": True}
