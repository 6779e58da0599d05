"""The screening API: every route in scope (200), out of scope (404, the same body as a missing
id), for a role that lacks it (403); bad input refused in Chinese with nothing written."""

from __future__ import annotations

import datetime
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualtrack.core.tests.helpers import accepted_job, problem_of, starting_jobs
from dualtrack.health.models import CoverageCounter, HealthAlert, HouseholdVisit
from dualtrack.health.tests.screening.factories import paper_form, visit_row

pytestmark = pytest.mark.django_db

API = "/api/health/screening"


@pytest.fixture
def client_as(client):
    def sign_in(user):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
        return client

    return sign_in


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _body(problem):
    """A problem's body without its instance (the path it answered)."""
    return {k: v for k, v in problem.items() if k != "instance"}


def test_campaign_list_is_scoped(client_as, campaign, district, prevention, personas):
    assert [c["id"] for c in client_as(personas.village_cadre).get(f"{API}/campaigns").json()] == [
        campaign.pk
    ]
    assert client_as(personas.outsider).get(f"{API}/campaigns").json() == []


def test_open_a_campaign(client_as, district, homes, prevention, personas):
    today = timezone.localdate()
    body = {
        "name": "艾溪村摸排",
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=3)).isoformat(),
        "area_ids": [district.village.pk],
    }
    response = _post(client_as(prevention), f"{API}/campaigns", body)
    assert response.status_code == 201, response.content
    assert response.json()["areas"][0]["name"] == "艾溪村"
    # The town officer may screen but not open a campaign.
    problem_of(
        _post(client_as(personas.town_officer), f"{API}/campaigns", body), 403, "permission_denied"
    )
    # An area out of sight is a 404, the same as one that does not exist.
    far = _post(
        client_as(personas.village_cadre),
        f"{API}/campaigns",
        {**body, "area_ids": [district.far_village.pk]},
    )
    nowhere = _post(
        client_as(personas.village_cadre), f"{API}/campaigns", {**body, "area_ids": [999999]}
    )
    assert _body(problem_of(far, 404, "not_found")) == _body(problem_of(nowhere, 404, "not_found"))
    bad = _post(client_as(prevention), f"{API}/campaigns", {**body, "ends_on": "2019-01-01"})
    assert bad.status_code == 422


def test_campaign_detail_scoping(
    client_as, campaign, district, district_admin, prevention, personas
):
    from dualtrack.health.tests.screening.factories import open_campaign

    far = open_campaign(actor=prevention, areas=[district.far_village], name="麻丘摸排")
    cadre = client_as(personas.village_cadre)
    assert cadre.get(f"{API}/campaigns/{campaign.pk}").status_code == 200
    out = problem_of(cadre.get(f"{API}/campaigns/{far.pk}"), 404, "not_found")
    assert _body(out) == _body(problem_of(cadre.get(f"{API}/campaigns/999999"), 404, "not_found"))
    problem_of(_post(cadre, f"{API}/campaigns/{campaign.pk}/close", {}), 403, "permission_denied")
    problem_of(_post(cadre, f"{API}/campaigns/{far.pk}/close", {}), 404, "not_found")
    response = client_as(prevention).patch(
        f"{API}/campaigns/{campaign.pk}",
        json.dumps({"name": "第二轮"}),
        content_type="application/json",
    )
    assert response.json()["name"] == "第二轮"
    closed = _post(client_as(prevention), f"{API}/campaigns/{campaign.pk}/close", {})
    assert closed.status_code == 200 and not closed.json()["is_open"]
    problem_of(
        _post(client_as(prevention), f"{API}/campaigns/{campaign.pk}/close", {}),
        409,
        "campaign_closed",
    )


def test_coverage_drills_down_and_is_scoped(client_as, campaign, district, homes, personas):
    admin = client_as(personas.district_admin)
    top = admin.get(f"{API}/campaigns/{campaign.pk}/coverage").json()
    assert top["area"]["code"] == district.root.code
    assert {r["name"]: r["households_total"] for r in top["rows"]} == {"昌东镇": 3, "麻丘镇": 1}
    town = admin.get(f"{API}/campaigns/{campaign.pk}/coverage?area_id={district.town.pk}").json()
    assert {r["name"]: r["residents_total"] for r in town["rows"]} == {"艾溪村": 4, "南山村": 2}
    village = admin.get(
        f"{API}/campaigns/{campaign.pk}/coverage?area_id={district.village.pk}"
    ).json()
    assert [r["name"] for r in village["rows"]] == ["一组"]
    cadre = client_as(personas.village_cadre)
    mine = cadre.get(f"{API}/campaigns/{campaign.pk}/coverage").json()
    assert mine["area"]["name"] == "艾溪村" and mine["total"]["households_total"] == 2
    problem_of(
        cadre.get(f"{API}/campaigns/{campaign.pk}/coverage?area_id={district.far_village.pk}"),
        404,
        "not_found",
    )


def test_unvisited_and_uncovered_are_scoped_and_paged(
    client_as, campaign, homes, personas, django_assert_max_num_queries
):
    cadre = client_as(personas.village_cadre)
    with django_assert_max_num_queries(8):
        page = cadre.get(f"{API}/campaigns/{campaign.pk}/unvisited?limit=1").json()
    assert [h["id"] for h in page["items"]] == [homes.first.pk]
    assert [r["name"] for r in page["items"][0]["residents"]] == ["张三", "李四"]
    rest = cadre.get(f"{API}/campaigns/{campaign.pk}/unvisited?after={page['next_after']}").json()
    assert [h["id"] for h in rest["items"]] == [homes.second.pk] and rest["next_after"] is None
    with django_assert_max_num_queries(8):
        residents = cadre.get(f"{API}/campaigns/{campaign.pk}/uncovered").json()
    assert len(residents["items"]) == 4
    assert (
        client_as(personas.district_admin)
        .get(f"{API}/campaigns/{campaign.pk}/uncovered")
        .json()["items"]
        .__len__()
        == 8
    )


def test_record_a_visit(client_as, campaign, homes, personas, liaison):
    cadre = client_as(personas.village_cadre)
    row = visit_row(campaign, homes.first)
    body = {k: v for k, v in row.items() if k != "campaign_id"}
    body["records"][0]["temperature"] = "38.5"
    response = _post(cadre, f"{API}/campaigns/{campaign.pk}/visits", body)
    assert response.status_code == 201, response.content
    assert response.json()["records"][0]["is_fever"]
    again = _post(cadre, f"{API}/campaigns/{campaign.pk}/visits", body)
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    assert HealthAlert.objects.get().liaison == liaison
    visits = cadre.get(f"{API}/campaigns/{campaign.pk}/households/{homes.first.pk}/visits").json()
    assert [v["outcome"] for v in visits] == ["visited"]
    unvisited = cadre.get(f"{API}/campaigns/{campaign.pk}/unvisited").json()
    assert [h["id"] for h in unvisited["items"]] == [homes.second.pk]


def test_visit_out_of_scope_is_404_like_a_missing_household(client_as, campaign, homes, personas):
    cadre = client_as(personas.village_cadre)
    row = visit_row(campaign, homes.far)
    body = {k: v for k, v in row.items() if k != "campaign_id"}
    out = problem_of(_post(cadre, f"{API}/campaigns/{campaign.pk}/visits", body), 404, "not_found")
    missing = problem_of(
        _post(cadre, f"{API}/campaigns/{campaign.pk}/visits", {**body, "household_id": 999999}),
        404,
        "not_found",
    )
    assert _body(out) == _body(missing)
    problem_of(
        cadre.get(f"{API}/campaigns/{campaign.pk}/households/{homes.far.pk}/visits"),
        404,
        "not_found",
    )
    # The commander sees the household but may not screen it.
    commander = client_as(personas.commander)
    body = {k: v for k, v in visit_row(campaign, homes.first).items() if k != "campaign_id"}
    problem_of(
        _post(commander, f"{API}/campaigns/{campaign.pk}/visits", body), 403, "permission_denied"
    )
    assert not HouseholdVisit.objects.exists()


def test_temperature_out_of_range_is_refused_in_chinese(client_as, campaign, homes, personas):
    cadre = client_as(personas.village_cadre)
    body = {k: v for k, v in visit_row(campaign, homes.first).items() if k != "campaign_id"}
    body["records"][0]["temperature"] = "44.5"
    problem = problem_of(
        _post(cadre, f"{API}/campaigns/{campaign.pk}/visits", body), 422, "visit_invalid"
    )
    assert "34" in problem["detail"] and "体温" in problem["detail"]
    assert problem["errors"][0]["field"] == "records[0].temperature"
    assert not HouseholdVisit.objects.exists()


def test_date_outside_the_campaign_is_refused(client_as, campaign, homes, personas):
    cadre = client_as(personas.village_cadre)
    early = timezone.now() - datetime.timedelta(days=10)
    body = {
        k: v
        for k, v in visit_row(campaign, homes.first, visited_at=early).items()
        if k != "campaign_id"
    }
    problem = problem_of(
        _post(cadre, f"{API}/campaigns/{campaign.pk}/visits", body), 422, "campaign_not_open"
    )
    assert "摸排" in problem["detail"] or "不在" in problem["detail"]
    assert not HouseholdVisit.objects.exists()


def test_sync_a_batch(client_as, campaign, homes, personas):
    cadre = client_as(personas.village_cadre)
    rows = [
        visit_row(campaign, homes.first),
        visit_row(campaign, homes.second, outcome="nobody_home"),
    ]
    response = _post(cadre, f"{API}/visits/sync", {"rows": rows})
    assert [r["outcome"] for r in response.json()["results"]] == ["created", "created"]
    again = _post(cadre, f"{API}/visits/sync", {"rows": rows})
    assert [r["outcome"] for r in again.json()["results"]] == ["already_had", "already_had"]
    assert sum(CoverageCounter.objects.values_list("households_visited", flat=True)) == 1


def test_visits_queued_by_another_user_are_409_and_written_by_nobody(
    client_as, campaign, homes, personas, volunteer
):
    """A phone shared by a village's volunteers: a queue sent under another user's session."""
    cadre = client_as(personas.village_cadre)
    rows = {"rows": [visit_row(campaign, homes.first)], "queued_by": volunteer.pk}
    problem = problem_of(_post(cadre, f"{API}/visits/sync", rows), 409, "queued_by_another_user")
    assert "其他用户" in problem["detail"]
    assert not HouseholdVisit.objects.exists()
    own = _post(cadre, f"{API}/visits/sync", {**rows, "queued_by": personas.village_cadre.pk})
    assert [r["outcome"] for r in own.json()["results"]] == ["created"]


def test_malformed_batch_is_refused_whole(client_as, campaign, homes, personas):
    cadre = client_as(personas.village_cadre)
    rows = [
        visit_row(campaign, homes.first),
        {**visit_row(campaign, homes.second), "outcome": "gone"},
    ]
    problem = problem_of(_post(cadre, f"{API}/visits/sync", {"rows": rows}), 422, "visit_invalid")
    assert problem["errors"][0]["field"] == "rows[1].outcome"
    assert "无人在家" in problem["errors"][0]["message"]
    assert problem_of(_post(cadre, f"{API}/visits/sync", {"rows": "x"}), 422, "validation_failed")
    assert not HouseholdVisit.objects.exists()


def _sheet(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_import_paper_results(client_as, campaign, homes, personas, liaison):
    cadre = client_as(personas.village_cadre)
    sheet = openpyxl.load_workbook(io.BytesIO(paper_form(cadre, campaign))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:6] == ["户ID", "户号", "地址", "居民ID", "姓名", "走访结果"]
    assert [r[4] for r in rows[1:]] == ["张三", "李四", "王五", "赵六"]
    day = timezone.localdate().isoformat()
    filled = [rows[0]]
    for r in rows[1:3]:
        filled.append([*r[:5], "已走访", day, "是", "", "", "", "", "36.6"])
    filled.append(rows[3][:5] + ["无人在家", day] + [None] * 6)
    filled.append(rows[4][:5] + ["无人在家", day] + [None] * 6)
    bad = [
        rows[0],
        [*rows[1][:5], "已走访", day, "是", "", "", "", "", "48"],
        [*rows[2][:5], "已走访", day, "是", "", "", "", "", "36.6"],
    ]
    with starting_jobs():
        response = cadre.post(
            f"{API}/campaigns/{campaign.pk}/import",
            {"file": SimpleUploadedFile("p.xlsx", _sheet(bad))},
        )
    job = accepted_job(cadre, response)
    assert job["state"] == "failed"
    assert [(p["row"], p["column"]) for p in job["problems"]] == [(2, "M")]
    assert not HouseholdVisit.objects.exists()
    with starting_jobs():
        response = cadre.post(
            f"{API}/campaigns/{campaign.pk}/import",
            {"file": SimpleUploadedFile("p.xlsx", _sheet(filled))},
        )
    job = accepted_job(cadre, response)
    assert job["state"] == "done", job
    assert HouseholdVisit.objects.count() == 2
    assert sum(CoverageCounter.objects.values_list("households_visited", flat=True)) == 1
    problem_of(
        client_as(personas.commander).post(
            f"{API}/campaigns/{campaign.pk}/import",
            {"file": SimpleUploadedFile("p.xlsx", _sheet(filled))},
        ),
        403,
        "permission_denied",
    )


@pytest.mark.parametrize(
    "path",
    [
        "/campaigns/{c}",
        "/campaigns/{c}/coverage",
        "/campaigns/{c}/unvisited",
        "/campaigns/{c}/uncovered",
        "/campaigns/{c}/households/{h}/visits",
    ],
)
def test_every_read_of_a_campaign_out_of_sight_is_404_like_a_missing_one(
    client_as, district, homes, prevention, personas, path
):
    from dualtrack.health.tests.screening.factories import open_campaign

    far = open_campaign(actor=prevention, areas=[district.far_village], name="麻丘摸排")
    mine = open_campaign(actor=prevention, areas=[district.village], name="艾溪摸排")
    cadre = client_as(personas.village_cadre)
    ok = cadre.get(API + path.format(c=mine.pk, h=homes.first.pk))
    assert ok.status_code == 200, ok.content
    out = problem_of(cadre.get(API + path.format(c=far.pk, h=homes.far.pk)), 404, "not_found")
    missing = problem_of(cadre.get(API + path.format(c=999999, h=999999)), 404, "not_found")
    assert _body(out) == _body(missing)


def test_writes_to_a_campaign_out_of_sight_are_404_and_without_the_role_403(
    client_as, district, homes, prevention, personas
):
    from dualtrack.health.tests.screening.factories import open_campaign

    far = open_campaign(actor=prevention, areas=[district.far_village], name="麻丘摸排")
    mine = open_campaign(actor=prevention, areas=[district.village], name="艾溪摸排")
    cadre = client_as(personas.village_cadre)
    patch = {"name": "改名"}
    for campaign, status in ((far, 404), (mine, 403)):
        response = cadre.patch(
            f"{API}/campaigns/{campaign.pk}", json.dumps(patch), content_type="application/json"
        )
        assert response.status_code == status
    body = {k: v for k, v in visit_row(far, homes.far).items() if k != "campaign_id"}
    problem_of(_post(cadre, f"{API}/campaigns/{far.pk}/visits", body), 404, "not_found")
    upload = {"file": SimpleUploadedFile("p.xlsx", _sheet([["户ID"]]))}
    problem_of(cadre.post(f"{API}/campaigns/{far.pk}/import", upload), 404, "not_found")
    sync = _post(cadre, f"{API}/visits/sync", {"rows": [visit_row(far, homes.far)]})
    assert problem_of(sync, 422, "visit_invalid")["errors"][0]["field"] == "rows[0].campaign_id"
    assert not HouseholdVisit.objects.exists()


def test_a_visit_recorded_online_without_a_client_id_gets_one(client_as, campaign, homes, personas):
    cadre = client_as(personas.village_cadre)
    body = {
        k: v
        for k, v in visit_row(campaign, homes.first).items()
        if k not in ("campaign_id", "client_id")
    }
    response = _post(cadre, f"{API}/campaigns/{campaign.pk}/visits", body)
    assert response.status_code == 201, response.content
    assert response.json()["client_id"]
