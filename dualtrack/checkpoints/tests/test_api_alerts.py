"""/api/checkpoints: alerts (inbox, town list, escalation), risk areas, figures and the export."""

from __future__ import annotations

import datetime
import io
import json

from django.utils import timezone
from openpyxl import load_workbook

from dualtrack.areas.models import RiskArea
from dualtrack.checkpoints.models import Alert
from dualtrack.checkpoints.tests.conftest import WUHAN_JIANGAN
from dualtrack.core.models import AuditAction, AuditEntry
from dualtrack.core.tests.helpers import JSON, accepted_job, problem_of, starting_jobs

API = "/api/checkpoints"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type=JSON)


def test_a_fever_reaches_the_liaison_cadres_inbox_and_the_towns_list(as_user, register):
    passage = register(temperature="38.5")

    inbox = as_user("village_cadre").get(f"{API}/alerts?inbox=true").json()
    town = as_user("town_officer").get(f"{API}/alerts").json()

    assert [a["passage_id"] for a in inbox] == [passage.pk]
    assert [a["passage_id"] for a in town] == [passage.pk]
    assert inbox[0]["fever"] and not inbox[0]["is_escalated"]
    assert as_user("commander").get(f"{API}/alerts?inbox=true").json() == []


def test_an_alert_open_past_the_limit_is_escalated_when_read(as_user, register, settings):
    settings.ALERT_ESCALATION_MINUTES = 30
    old = register(temperature="38.5", occurred_at=timezone.now() - datetime.timedelta(minutes=31))
    register(temperature="38.5")
    client = as_user("town_officer")

    escalated = client.get(f"{API}/alerts?escalated=true").json()

    assert [a["passage_id"] for a in escalated] == [old.pk]
    assert Alert.objects.filter(passage=old).values_list("handled_at", flat=True)[0] is None


def test_an_alert_is_handled_once_with_an_outcome(as_user, register, checkpoint):
    alert = register(temperature="38.5").alert
    client = as_user("village_cadre")

    bad = post(client, f"{API}/alerts/{alert.pk}/handle", {"outcome": "ignored"})
    ok = post(
        client, f"{API}/alerts/{alert.pk}/handle", {"outcome": "fever_clinic", "note": "送发热门诊"}
    )
    again = post(client, f"{API}/alerts/{alert.pk}/handle", {"outcome": "home_quarantine"})

    problem_of(bad, 422, "validation_failed")
    assert ok.status_code == 200 and ok.json()["minutes_to_handle"] is not None
    problem_of(again, 409, "already_handled")
    figures = client.get(f"{API}/figures?checkpoint={checkpoint.pk}").json()
    assert (figures["alerts_raised"], figures["alerts_handled"], figures["alerts_open"]) == (
        1,
        1,
        0,
    )
    assert figures["median_minutes_to_handle"] is not None


def test_staff_without_the_alert_permission_cannot_handle(as_user, register):
    alert = register(temperature="38.5").alert

    response = post(
        as_user("checkpoint_staff"), f"{API}/alerts/{alert.pk}/handle", {"outcome": "fever_clinic"}
    )

    problem_of(response, 403, "permission_denied")


def test_alerts_of_other_towns_are_out_of_sight(as_user, far_checkpoint, personas):
    from dualtrack.checkpoints.services.passages import passage_register
    from dualtrack.checkpoints.tests.conftest import make_input

    passage = passage_register(
        actor=personas.district_admin, checkpoint=far_checkpoint, data=make_input(temperature="39")
    )
    client = as_user("town_officer")

    assert client.get(f"{API}/alerts").json() == []
    problem_of(
        post(client, f"{API}/alerts/{passage.alert.pk}/handle", {"outcome": "fever_clinic"}),
        404,
        "not_found",
    )


def test_hq_maintains_the_risk_area_list(as_user, register, working_group_staff, client):
    from dualtrack.areas.models import Duty

    prevention = working_group_staff(Duty.PREVENTION)
    client.force_login(prevention)
    today = timezone.localdate().isoformat()

    created = post(
        client,
        f"{API}/risk-areas",
        {"region_code": "420100", "level": "high", "effective_from": today, "source": "省指挥部"},
    )
    bad = post(
        client,
        f"{API}/risk-areas",
        {"region_code": "999999", "level": "high", "effective_from": today, "source": ""},
    )

    assert created.status_code == 201, created.content
    assert created.json()["region_name"] == "湖北省武汉市"
    assert {e["field"] for e in problem_of(bad, 422, "validation_failed")["errors"]} == {
        "region_code",
        "source",
    }
    assert register(origin_code=WUHAN_JIANGAN).from_risk_area
    ended = client.patch(
        f"{API}/risk-areas/{created.json()['id']}",
        json.dumps({"effective_to": today}),
        content_type=JSON,
    )
    assert ended.json()["effective_to"] == today
    refused = post(
        as_user("town_officer"),
        f"{API}/risk-areas",
        {"region_code": "420100", "level": "high", "effective_from": today, "source": "x"},
    )
    problem_of(refused, 403, "permission_denied")
    assert RiskArea.objects.count() == 1


def test_figures_for_checkpoint_town_and_by_day(as_user, register, checkpoint, district):
    register()
    register(direction="out")
    register(temperature="38.0")
    client = as_user("town_officer")

    today = client.get(f"{API}/figures?area={district.town.pk}").json()
    one = client.get(f"{API}/figures?checkpoint={checkpoint.pk}").json()
    daily = client.get(f"{API}/figures/daily?checkpoint={checkpoint.pk}&days=7").json()

    assert (today["people_in"], today["people_out"], today["fevers"]) == (2, 1, 1)
    assert one == today
    assert len(daily) == 7 and daily[-1]["people_in"] == 2 and daily[0]["people_in"] == 0
    problem_of(client.get(f"{API}/figures?checkpoint=999999"), 404, "not_found")


def test_a_village_cadre_sees_no_figures_of_another_town(as_user, district, far_checkpoint):
    client = as_user("village_cadre")

    problem_of(client.get(f"{API}/figures?checkpoint={far_checkpoint.pk}"), 404, "not_found")
    problem_of(client.get(f"{API}/figures?area={district.other_town.pk}"), 404, "not_found")


def test_the_register_exports_to_excel_for_personal_data_roles_only(as_user, register, checkpoint):
    passage = register(name="孙悟空")
    today = timezone.localdate().isoformat()
    url = f"{API}/checkpoints/{checkpoint.pk}/export.xlsx?since={today}&until={today}"

    refused = as_user("checkpoint_staff").post(url)
    client = as_user("village_cadre")
    with starting_jobs():
        response = client.post(url)

    problem_of(refused, 403, "permission_denied")
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).exists()
    job = accepted_job(client, response)
    assert job["state"] == "done" and job["kind"] == "checkpoints.register_export"
    assert (job["done"], job["total"]) == (1, 1)
    download = client.get(job["result_url"])
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2] == "孙悟空" and rows[1][3] == passage.id_number
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).count() == 1
    problem_of(as_user("town_officer").get(job["result_url"]), 404, "not_found")
    reversed_period = as_user("village_cadre").post(
        f"{API}/checkpoints/{checkpoint.pk}/export.xlsx?since={today}&until=2020-01-01"
    )
    problem_of(reversed_period, 422, "period_reversed")
