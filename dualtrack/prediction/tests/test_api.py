"""The early warning's API: every route in scope, out of scope (404, the same body as a missing
id), refused to a role that lacks it (403), and bad input (problem+json, nothing written)."""

from __future__ import annotations

import pytest

from dualtrack.core.models import Job
from dualtrack.core.tests.helpers import JSON, accepted_job, problem_of, starting_jobs
from dualtrack.prediction.models import Run, Signal, SignalState
from dualtrack.prediction.tests.conftest import END, KEY, START

pytestmark = pytest.mark.django_db
API = "/api/prediction"
MISSING = 999_999


def same(problem: dict) -> dict:
    """A problem without its ``instance`` (the address asked), to compare two answers."""
    return {k: v for k, v in problem.items() if k != "instance"}


def test_the_signal_list_is_scoped(as_user, computed, client, prevention):
    town = as_user("town_officer").get(f"{API}/signals").json()
    client.force_login(prevention)
    district = client.get(f"{API}/signals").json()
    assert computed["near"].pk in {s["id"] for s in town}
    assert computed["far"].pk not in {s["id"] for s in town}
    assert {computed["near"].pk, computed["far"].pk} <= {s["id"] for s in district}
    assert as_user("village_cadre").get(f"{API}/signals").json() == []
    days = [s["last_day"] for s in district]
    assert days == sorted(days, reverse=True)


def test_the_signal_list_reads_in_a_fixed_number_of_queries(
    as_user, computed, personas, django_assert_max_num_queries
):
    from dualtrack.prediction.services.signals import signal_acknowledge

    for signal in Signal.objects.filter(area__code__startswith=computed["near"].area.code[:4]):
        signal_acknowledge(actor=personas.town_officer, signal=signal, note="在查")
    client = as_user("district_admin")
    with django_assert_max_num_queries(6):
        assert client.get(f"{API}/signals?state=all").status_code == 200


def test_a_signal_out_of_sight_is_404_like_a_missing_one(as_user, computed):
    client = as_user("town_officer")
    near = client.get(f"{API}/signals/{computed['near'].pk}")
    assert near.status_code == 200 and near.json()["method"] == "c3"
    assert near.json()["records_url"].startswith("/r/")
    far = problem_of(client.get(f"{API}/signals/{computed['far'].pk}"), 404, "not_found")
    missing = problem_of(client.get(f"{API}/signals/{MISSING}"), 404, "not_found")
    assert same(far) == same(missing)


def test_acknowledge_and_close(as_user, computed):
    client = as_user("town_officer")
    url = f"{API}/signals/{computed['near'].pk}"
    done = client.post(f"{url}/acknowledge", {"note": "在查"}, content_type=JSON)
    assert done.status_code == 200 and done.json()["state"] == "acknowledged"
    open_ids = {s["id"] for s in client.get(f"{API}/signals").json()}
    assert computed["near"].pk not in open_ids
    problem_of(client.post(f"{url}/acknowledge", {}, content_type=JSON), 409, "conflict")
    refused = client.post(f"{url}/close", {"note": ""}, content_type=JSON)
    problem_of(refused, 422, "invalid_text")
    closed = client.post(f"{url}/close", {"note": "排查完毕"}, content_type=JSON)
    assert closed.json()["state"] == "closed" and closed.json()["closed_note"] == "排查完毕"


def test_handling_out_of_sight_is_404_and_the_commander_only_reads(as_user, computed):
    far = f"{API}/signals/{computed['far'].pk}/acknowledge"
    problem_of(as_user("town_officer").post(far, {}, content_type=JSON), 404, "not_found")
    problem_of(as_user("village_cadre").post(far, {}, content_type=JSON), 404, "not_found")
    problem_of(as_user("commander").post(far, {}, content_type=JSON), 403, "permission_denied")
    assert Signal.objects.get(pk=computed["far"].pk).state == SignalState.OPEN


def test_an_areas_series_rt_and_projection(as_user, computed, district):
    client = as_user("town_officer")
    q = f"series={KEY}&start={START}&end={END}"
    days = client.get(f"{API}/areas/{district.village.pk}/series?{q}").json()
    assert len(days) == (END - START).days + 1
    assert days[-1]["count"] == 20 and days[-1]["c3_flag"]
    rt = client.get(f"{API}/areas/{district.town.pk}/rt?{q}").json()
    assert rt and all(r["lower"] <= r["median"] <= r["upper"] for r in rt)
    projection = client.get(f"{API}/areas/{district.town.pk}/projection?series={KEY}").json()
    assert len(projection["days"]) == 14 and projection["assumption"]
    assert projection["made_on"] == END.isoformat()


@pytest.mark.parametrize("route", ["series", "rt", "projection"])
def test_an_area_out_of_sight_or_unknown_is_404(as_user, computed, district, route):
    client = as_user("town_officer")
    far = client.get(f"{API}/areas/{district.far_village.pk}/{route}?series={KEY}")
    missing = client.get(f"{API}/areas/{MISSING}/{route}?series={KEY}")
    assert same(problem_of(far, 404, "not_found")) == same(problem_of(missing, 404, "not_found"))
    problem_of(
        as_user("village_cadre").get(f"{API}/areas/{district.village.pk}/{route}?series={KEY}"),
        404,
        "not_found",
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (f"series={KEY}&start={END}&end={START}", "start"),
        (f"series={KEY}&start=2016-01-01&end=2020-01-02", "start"),
        ("series=nothing.such", "series"),
    ],
)
def test_bad_reads_are_422_in_chinese(as_user, computed, district, query, field):
    client = as_user("town_officer")
    body = problem_of(
        client.get(f"{API}/areas/{district.village.pk}/series?{query}", HTTP_ACCEPT_LANGUAGE="zh"),
        422,
        "validation_failed",
    )
    assert body["errors"][0]["field"] == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"si_mean": 1.0}, "si_mean"),
        ({"si_sd": 0}, "si_sd"),
        ({"si_sd": -1.5}, "si_sd"),
        ({"start": "2020-04-01", "end": "2020-03-01"}, "start"),
        ({"start": "2016-01-01", "end": "2020-03-01"}, "start"),
    ],
)
def test_bad_recompute_input_is_refused_and_nothing_is_written(
    client, prevention, computed, payload, field
):
    client.force_login(prevention)
    runs = Run.objects.count()
    body = problem_of(
        client.post(f"{API}/recompute", payload, content_type=JSON), 422, "validation_failed"
    )
    assert body["errors"][0]["field"] == field
    assert not Job.objects.exists() and Run.objects.count() == runs


def test_recompute_runs_as_a_job_for_the_prevention_group_only(
    as_user, client, prevention, district, counts, fake_series
):
    from dualtrack.prediction.tests.conftest import outbreak

    outbreak(counts, district.village)
    problem_of(
        as_user("town_officer").post(f"{API}/recompute", {}, content_type=JSON),
        403,
        "permission_denied",
    )
    problem_of(
        as_user("commander").post(f"{API}/recompute", {}, content_type=JSON),
        403,
        "permission_denied",
    )
    client.force_login(prevention)
    with starting_jobs():
        response = client.post(
            f"{API}/recompute",
            {"start": START.isoformat(), "end": END.isoformat(), "si_mean": 5.2, "si_sd": 3.0},
            content_type=JSON,
        )
    job = accepted_job(client, response)
    assert job["state"] == "done", job
    run = Run.objects.get()
    assert (run.si_mean, run.si_sd, run.started_by) == (5.2, 3.0, prevention)
    assert Signal.objects.filter(area=district.village, method="c3").exists()
