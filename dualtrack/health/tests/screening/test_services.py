"""Campaigns and visits through the services: counters, idempotency, findings, refusals."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from dualtrack.areas.tests.factories import make_resident
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.health.models import (
    AlertKind,
    CoverageCounter,
    HealthAlert,
    HouseholdVisit,
    QuarantineKind,
    ScreeningRecord,
)
from dualtrack.health.services.screening import (
    campaign_close,
    campaign_update,
    visit_record,
    visits_sync,
)
from dualtrack.health.tests.screening.factories import home, open_campaign, visit_row


def _totals(campaign):
    rows = CoverageCounter.objects.filter(campaign=campaign)
    return (
        sum(r.households_visited for r in rows),
        sum(r.households_total for r in rows),
        sum(r.residents_covered for r in rows),
        sum(r.residents_total for r in rows),
    )


def _data(row):
    return {k: v for k, v in row.items() if k not in ("campaign_id", "household_id")}


def test_open_counts_households_and_residents_once(campaign, district):
    assert _totals(campaign) == (0, 4, 0, 8)
    codes = set(
        CoverageCounter.objects.filter(campaign=campaign).values_list("area_code", flat=True)
    )
    assert codes == {district.group.code, district.sibling_village.code, district.far_group.code}


def test_open_needs_manage_campaigns(district, homes, personas, prevention):
    with pytest.raises(PermissionDenied):
        open_campaign(actor=personas.town_officer, areas=[district.town])
    with pytest.raises(NotFound):
        open_campaign(actor=personas.village_cadre, areas=[district.far_village])
    with pytest.raises(ValidationFailed):
        open_campaign(
            actor=prevention,
            areas=[district.town],
            ends_on=timezone.localdate() - datetime.timedelta(days=5),
        )


def test_visit_moves_counters_by_one_household(campaign, homes, personas, liaison):
    row = visit_row(campaign, homes.first)
    visit, outcome = visit_record(
        actor=personas.village_cadre, campaign=campaign, household=homes.first, data=_data(row)
    )
    assert outcome == "created"
    assert _totals(campaign) == (1, 4, 2, 8)
    # The same client id again: the same visit, nothing counted twice.
    again, outcome = visit_record(
        actor=personas.village_cadre, campaign=campaign, household=homes.first, data=_data(row)
    )
    assert (again.pk, outcome) == (visit.pk, "already_had")
    assert _totals(campaign) == (1, 4, 2, 8)
    # Another phone's completed visit to the same household is refused.
    with pytest.raises(Conflict):
        visit_record(
            actor=personas.village_cadre,
            campaign=campaign,
            household=homes.first,
            data=_data(visit_row(campaign, homes.first)),
        )
    assert not HealthAlert.objects.exists()


def test_nobody_home_falls_due_next_day_and_is_not_covered(campaign, homes, personas):
    row = visit_row(campaign, homes.first, outcome="nobody_home")
    visit, _ = visit_record(
        actor=personas.village_cadre, campaign=campaign, household=homes.first, data=_data(row)
    )
    assert visit.revisit_on == timezone.localdate() + datetime.timedelta(days=1)
    assert _totals(campaign) == (0, 4, 0, 8)


def test_fever_opens_an_alert_for_the_liaison(campaign, homes, personas, liaison):
    row = visit_row(campaign, homes.first)
    row["records"][0]["temperature"] = "38.2"
    visit_record(
        actor=personas.village_cadre, campaign=campaign, household=homes.first, data=_data(row)
    )
    alert = HealthAlert.objects.get()
    assert alert.kind == AlertKind.SCREENING_FEVER
    assert alert.liaison == liaison
    assert alert.handled_at is None
    assert alert.proposed == QuarantineKind.HOME
    assert alert.name == "张三"
    assert alert.record.is_fever


def test_risk_area_return_with_fever_proposes_a_site(campaign, homes, personas, liaison, risk_area):
    returned = timezone.localdate() - datetime.timedelta(days=3)
    row = visit_row(
        campaign,
        homes.first,
        temperature="36.6",
        returned_from_code="420102",
        returned_on=returned.isoformat(),
    )
    row["records"][0]["temperature"] = "37.8"
    visit_record(
        actor=personas.village_cadre, campaign=campaign, household=homes.first, data=_data(row)
    )
    record = ScreeningRecord.objects.get(resident__name="张三")
    assert record.from_risk_area and record.is_fever
    assert record.returned_from_name.startswith("湖北省")
    alert = HealthAlert.objects.get()
    assert alert.proposed == QuarantineKind.SITE


def test_risk_return_outside_the_quarantine_period_finds_nothing(
    campaign, homes, personas, liaison, risk_area
):
    returned = timezone.localdate() - datetime.timedelta(days=20)
    row = visit_row(
        campaign, homes.first, returned_from_code="420102", returned_on=returned.isoformat()
    )
    visit_record(
        actor=personas.village_cadre, campaign=campaign, household=homes.first, data=_data(row)
    )
    assert not ScreeningRecord.objects.filter(from_risk_area=True).exists()
    assert not HealthAlert.objects.exists()


def test_risk_return_alone_is_a_risk_alert(campaign, homes, personas, liaison, risk_area):
    returned = timezone.localdate() - datetime.timedelta(days=2)
    row = visit_row(
        campaign, homes.first, returned_from_code="420102", returned_on=returned.isoformat()
    )
    visit_record(
        actor=personas.village_cadre, campaign=campaign, household=homes.first, data=_data(row)
    )
    alert = HealthAlert.objects.get()
    assert (alert.kind, alert.proposed) == (AlertKind.RISK_RETURN, QuarantineKind.HOME)


def test_household_created_after_opening_bumps_the_totals(campaign, district, personas):
    late = home(actor=personas.district_admin, area=district.group)
    visit_record(
        actor=personas.village_cadre,
        campaign=campaign,
        household=late,
        data=_data(visit_row(campaign, late)),
    )
    assert _totals(campaign) == (1, 5, 2, 10)


def test_resident_added_after_opening_bumps_the_resident_total(campaign, homes, personas):
    make_resident(actor=personas.district_admin, household=homes.first, name="新来")
    visit_record(
        actor=personas.village_cadre,
        campaign=campaign,
        household=homes.first,
        data=_data(visit_row(campaign, homes.first)),
    )
    assert _totals(campaign) == (1, 4, 3, 9)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"temperature": "45.1"}, "records[0].temperature"),
        ({"temperature": "abc"}, "records[0].temperature"),
        (
            {"returned_from_code": "999999", "returned_on": "2020-01-01"},
            "records[0].returned_from_code",
        ),
        ({"present": False}, "records[0].whereabouts"),
    ],
)
def test_bad_answers_are_refused_and_nothing_written(campaign, homes, personas, changes, field):
    row = visit_row(campaign, homes.first)
    row["records"][0].update(changes)
    with pytest.raises(ValidationFailed) as caught:
        visit_record(
            actor=personas.village_cadre, campaign=campaign, household=homes.first, data=_data(row)
        )
    assert field in {e["field"] for e in caught.value.errors}
    assert not HouseholdVisit.objects.exists()
    assert _totals(campaign) == (0, 4, 0, 8)


def test_missing_resident_is_refused(campaign, homes, personas):
    row = visit_row(campaign, homes.first)
    row["records"].pop()
    with pytest.raises(ValidationFailed) as caught:
        visit_record(
            actor=personas.village_cadre, campaign=campaign, household=homes.first, data=_data(row)
        )
    assert "李四" in caught.value.errors[0]["message"]


def test_date_outside_the_campaign_is_refused(campaign, homes, personas):
    before = timezone.now() - datetime.timedelta(days=5)
    row = visit_row(campaign, homes.first, visited_at=before)
    with pytest.raises(ValidationFailed) as caught:
        visit_record(
            actor=personas.village_cadre, campaign=campaign, household=homes.first, data=_data(row)
        )
    assert caught.value.code == "campaign_not_open"
    assert not HouseholdVisit.objects.exists()


def test_visit_out_of_scope_is_not_found_and_role_without_screening_forbidden(
    campaign, homes, personas
):
    with pytest.raises(NotFound):
        visit_record(
            actor=personas.village_cadre,
            campaign=campaign,
            household=homes.far,
            data=_data(visit_row(campaign, homes.far)),
        )
    with pytest.raises(PermissionDenied):
        visit_record(
            actor=personas.commander,
            campaign=campaign,
            household=homes.far,
            data=_data(visit_row(campaign, homes.far)),
        )
    assert not HouseholdVisit.objects.exists()


def test_closed_campaign_takes_no_visit(campaign, homes, personas, prevention):
    campaign_close(actor=prevention, campaign=campaign)
    with pytest.raises(Conflict):
        campaign_close(actor=prevention, campaign=campaign)
    with pytest.raises(ValidationFailed):
        visit_record(
            actor=personas.village_cadre,
            campaign=campaign,
            household=homes.first,
            data=_data(visit_row(campaign, homes.first)),
        )


def test_update_refuses_an_end_before_the_visits(campaign, homes, personas, prevention):
    visit_record(
        actor=personas.village_cadre,
        campaign=campaign,
        household=homes.first,
        data=_data(visit_row(campaign, homes.first)),
    )
    with pytest.raises(ValidationFailed):
        campaign_update(
            actor=prevention,
            campaign=campaign,
            ends_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    campaign_update(actor=prevention, campaign=campaign, name="第二轮摸排")
    with pytest.raises(PermissionDenied):
        campaign_update(actor=personas.village_cadre, campaign=campaign, name="x")


def test_sync_reports_each_row_and_is_idempotent(campaign, homes, personas, volunteer):
    rows = [
        visit_row(campaign, homes.first),
        visit_row(campaign, homes.second, outcome="refused"),
    ]
    report = visits_sync(actor=volunteer, rows=rows)
    assert [r["outcome"] for r in report.results] == ["created", "created"]
    again = visits_sync(actor=volunteer, rows=[*rows, visit_row(campaign, homes.first)])
    assert [r["outcome"] for r in again.results] == [
        "already_had",
        "already_had",
        "already_visited",
    ]
    assert HouseholdVisit.objects.count() == 2
    assert _totals(campaign) == (1, 4, 2, 8)


def test_malformed_batch_is_refused_whole(campaign, homes, personas, volunteer):
    good = visit_row(campaign, homes.first)
    bad = visit_row(campaign, homes.second, temperature="51")
    with pytest.raises(ValidationFailed) as caught:
        visits_sync(actor=volunteer, rows=[good, bad, "x", {**good, "client_id": "nope"}])
    fields = {e["field"] for e in caught.value.errors}
    assert {"rows[1].records[0].temperature", "rows[2].row", "rows[3].client_id"} <= fields
    assert not HouseholdVisit.objects.exists()
    with pytest.raises(ValidationFailed):
        visits_sync(actor=volunteer, rows={"rows": []})


def test_sync_row_out_of_scope_refuses_the_batch(campaign, homes, volunteer):
    with pytest.raises(ValidationFailed) as caught:
        visits_sync(
            actor=volunteer, rows=[visit_row(campaign, homes.first), visit_row(campaign, homes.far)]
        )
    assert caught.value.errors[0]["field"] == "rows[1].household_id"
    assert not HouseholdVisit.objects.exists()


def test_client_id_reused_for_another_household_is_refused(campaign, homes, volunteer):
    cid = str(uuid.uuid4())
    visits_sync(actor=volunteer, rows=[visit_row(campaign, homes.first, client_id=cid)])
    with pytest.raises(ValidationFailed):
        visits_sync(actor=volunteer, rows=[visit_row(campaign, homes.second, client_id=cid)])


def test_a_campaigns_history_is_read_within_the_audit_scope(district, homes, prevention, personas):
    from dualtrack.core.audit import audit_history_for

    village = open_campaign(actor=prevention, areas=[district.village])
    far = open_campaign(actor=prevention, areas=[district.far_village])
    visits_sync(actor=personas.village_cadre, rows=[visit_row(village, homes.first)])
    history = audit_history_for(
        user=personas.town_officer,
        app_label="health",
        model_name="campaign",
        object_id=str(village.pk),
    )
    assert len(history.entries) == 2  # opened, a batch of visits
    with pytest.raises(NotFound):
        audit_history_for(
            user=personas.town_officer,
            app_label="health",
            model_name="campaign",
            object_id=str(far.pk),
        )
