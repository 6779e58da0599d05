"""/api/checkpoints: the register over the API — single, bulk, public — with problem+json for
every bad input and nothing written."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client

from dualtrack.areas.tests.factories import make_id_number
from dualtrack.checkpoints.models import Alert, DailyFigure, Passage
from dualtrack.checkpoints.services.registry import checkpoint_rotate_token, checkpoint_update
from dualtrack.checkpoints.tests.test_services_sync import row
from dualtrack.core.models import AuditAction, AuditEntry
from dualtrack.core.tests.helpers import JSON, problem_of

API = "/api/checkpoints"


def body(**changes):
    values = {
        "direction": "in",
        "temperature": "36.5",
        "name": "王小明",
        "id_number": make_id_number(),
        "phone": "13912345678",
        "origin_code": "360111",
        "purpose": "回家",
        "notice_given": True,
    }
    values.update(changes)
    return values


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type=JSON)


def _nothing_written():
    return Passage.objects.count() == 0 and DailyFigure.objects.count() == 0


def test_staff_register_a_passage(as_user, checkpoint, shift):
    response = post(
        as_user("checkpoint_staff"), f"{API}/checkpoints/{checkpoint.pk}/passages", body()
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["shift_id"] == shift.pk and data["temperature"] == "36.5"
    assert data["id_number"] is None and "*" in data["id_number_masked"]
    assert data["origin_name"] == "江西省南昌市青山湖区"


def test_a_retried_registration_answers_200_with_the_same_row(as_user, checkpoint):
    client = as_user("checkpoint_staff")
    data = body(client_id=str(uuid.uuid4()))

    first = post(client, f"{API}/checkpoints/{checkpoint.pk}/passages", data)
    again = post(client, f"{API}/checkpoints/{checkpoint.pk}/passages", data)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Passage.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id_number": "360122199001010000"}, "id_number"),
        ({"temperature": "33.5"}, "temperature"),
        ({"temperature": "43.5"}, "temperature"),
        ({"origin_code": "000000"}, "origin_code"),
    ],
)
def test_bad_values_are_problems_that_write_nothing(as_user, checkpoint, changes, field):
    response = post(
        as_user("checkpoint_staff"), f"{API}/checkpoints/{checkpoint.pk}/passages", body(**changes)
    )

    problem = problem_of(response, 422, "validation_failed")
    assert field in {e["field"] for e in problem["errors"]}
    assert all(e["message"] for e in problem["errors"])
    assert _nothing_written()


def test_a_wrong_type_is_a_problem_too(as_user, checkpoint):
    response = post(
        as_user("checkpoint_staff"),
        f"{API}/checkpoints/{checkpoint.pk}/passages",
        body(temperature="warm", direction="up"),
    )

    problem = problem_of(response, 422, "validation_failed")
    assert {"temperature", "direction"} <= {e["field"] for e in problem["errors"]}
    assert _nothing_written()


def test_a_malformed_body_is_a_problem(as_user, checkpoint):
    response = as_user("checkpoint_staff").post(
        f"{API}/checkpoints/{checkpoint.pk}/passages", "{not json", content_type=JSON
    )

    assert response.status_code in (400, 422)
    problem_of(response, response.status_code, "malformed_body")
    assert _nothing_written()


def test_an_unknown_checkpoint_is_404(as_user, checkpoint):
    response = post(as_user("district_admin"), f"{API}/checkpoints/999999/passages", body())

    problem_of(response, 404, "not_found")
    assert _nothing_written()


def test_a_closed_checkpoint_is_409(as_user, checkpoint, personas):
    checkpoint_update(actor=personas.district_admin, checkpoint=checkpoint, status="closed")

    response = post(
        as_user("checkpoint_staff"), f"{API}/checkpoints/{checkpoint.pk}/passages", body()
    )

    assert "开放" in problem_of(response, 409, "checkpoint_not_open")["detail"]
    assert _nothing_written()


def test_a_checkpoint_outside_scope_is_404(as_user, far_checkpoint, other_checkpoint):
    client = as_user("checkpoint_staff")

    for cp in (far_checkpoint, other_checkpoint):
        problem_of(post(client, f"{API}/checkpoints/{cp.pk}/passages", body()), 404, "not_found")
    problem_of(
        post(as_user("village_cadre"), f"{API}/checkpoints/{far_checkpoint.pk}/passages", body()),
        404,
        "not_found",
    )
    assert _nothing_written()


def test_a_role_that_may_not_register_is_403(as_user, checkpoint):
    response = post(as_user("town_officer"), f"{API}/checkpoints/{checkpoint.pk}/passages", body())

    problem_of(response, 403, "permission_denied")
    assert _nothing_written()


def test_signed_out_is_401(client, checkpoint):
    problem_of(
        post(client, f"{API}/checkpoints/{checkpoint.pk}/passages", body()),
        401,
        "not_authenticated",
    )


# --- Reading the register ------------------------------------------------------------------------


def test_staff_read_their_own_register_but_not_another_gates(
    as_user, register, other_checkpoint, personas
):
    from dualtrack.checkpoints.services.passages import passage_register
    from dualtrack.checkpoints.tests.conftest import make_input

    mine = register()
    passage_register(actor=personas.village_cadre, checkpoint=other_checkpoint, data=make_input())
    client = as_user("checkpoint_staff")

    listed = client.get(f"{API}/checkpoints/{mine.checkpoint_id}/passages").json()["items"]
    assert [p["id"] for p in listed] == [mine.pk]
    problem_of(client.get(f"{API}/checkpoints/{other_checkpoint.pk}/passages"), 404, "not_found")


def test_the_register_is_paged_by_keyset_in_bounded_queries(
    as_user, register, checkpoint, django_assert_max_num_queries
):
    made = [register() for _ in range(7)]
    client = as_user("checkpoint_staff")

    with django_assert_max_num_queries(8):
        first = client.get(f"{API}/checkpoints/{checkpoint.pk}/passages?limit=5").json()
    second = client.get(
        f"{API}/checkpoints/{checkpoint.pk}/passages?limit=5&after={first['next_after']}"
    ).json()

    ids = [p["id"] for p in first["items"] + second["items"]]
    assert sorted(ids) == sorted(p.pk for p in made) and len(set(ids)) == 7
    assert second["next_after"] is None


def test_unmasked_register_needs_personal_data_access_and_is_audited(as_user, register, checkpoint):
    passage = register()
    problem_of(
        as_user("checkpoint_staff").get(
            f"{API}/checkpoints/{checkpoint.pk}/passages?unmasked=true"
        ),
        403,
        "permission_denied",
    )

    items = (
        as_user("village_cadre")
        .get(f"{API}/checkpoints/{checkpoint.pk}/passages?unmasked=true")
        .json()["items"]
    )

    assert items[0]["id_number"] == passage.id_number
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).count() == 1


# --- Bulk sync -----------------------------------------------------------------------------------


def test_sync_answers_accepted_and_rejected(as_user, checkpoint):
    good = row(checkpoint)
    response = post(
        as_user("checkpoint_staff"),
        f"{API}/passages/sync",
        {"rows": [good, row(checkpoint, temperature="50")]},
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert [a["client_id"] for a in data["accepted"]] == [good["client_id"]]
    assert data["rejected"][0]["index"] == 1 and "temperature" in data["rejected"][0]["errors"]


def test_a_batch_over_the_limit_is_413_and_writes_nothing(as_user, checkpoint, settings):
    settings.PASSAGE_SYNC_MAX_ROWS = 2

    response = post(
        as_user("checkpoint_staff"), f"{API}/passages/sync", {"rows": [row(checkpoint)] * 3}
    )

    problem_of(response, 413, "batch_too_large")
    assert _nothing_written()


def test_rows_queued_by_another_user_are_409_and_written_by_nobody(as_user, checkpoint, personas):
    """A phone shared at a gate: what one user queued is never sent under another's name."""
    client = as_user("village_cadre")
    rows = {"rows": [row(checkpoint)]}

    response = post(
        client, f"{API}/passages/sync", {**rows, "queued_by": personas.checkpoint_staff.pk}
    )

    problem_of(response, 409, "queued_by_another_user")
    assert _nothing_written()
    own = post(client, f"{API}/passages/sync", {**rows, "queued_by": personas.village_cadre.pk})
    assert own.status_code == 200
    assert [a["duplicate"] for a in own.json()["accepted"]] == [False]


@pytest.mark.parametrize("payload", ['{"rows": 5}', "[]", "{oops", '{"rows": [1, 2'])
def test_a_malformed_sync_body_is_a_problem(as_user, checkpoint, payload):
    response = as_user("checkpoint_staff").post(f"{API}/passages/sync", payload, content_type=JSON)

    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"
    assert _nothing_written()


def test_sync_with_the_session_needs_the_csrf_token(personas, checkpoint):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.checkpoint_staff)

    response = post(client, f"{API}/passages/sync", {"rows": [row(checkpoint)]})

    problem_of(response, 403, "csrf_failed")
    assert _nothing_written()


# --- Self-registration and the staff's reading ---------------------------------------------------


def self_body(**changes):
    values = {
        "direction": "in",
        "name": "赵丽",
        "id_number": make_id_number(),
        "phone": "13711112222",
        "origin_code": "360111",
    }
    values.update(changes)
    return values


def test_a_resident_self_registers_without_an_account(client, checkpoint):
    response = post(client, f"{API}/public/{checkpoint.qr_token}/passages", self_body())

    assert response.status_code == 201, response.content
    assert response.json()["awaits_temperature"] is True
    assert "id_number" not in response.json()


def test_a_stale_token_is_410_with_a_clear_message(client, checkpoint, personas):
    old = checkpoint.qr_token
    checkpoint_rotate_token(actor=personas.district_admin, checkpoint=checkpoint)

    response = post(client, f"{API}/public/{old}/passages", self_body())

    assert "二维码" in problem_of(response, 410, "stale_token")["detail"]
    assert _nothing_written()


def test_bad_self_registration_input_writes_nothing(client, checkpoint):
    response = post(
        client, f"{API}/public/{checkpoint.qr_token}/passages", self_body(id_number="123")
    )

    problem_of(response, 422, "validation_failed")
    assert _nothing_written()


def test_self_registration_is_rate_limited(client, checkpoint, settings):
    settings.SELF_REGISTRATION_RATE = "2/d"
    url = f"{API}/public/{checkpoint.qr_token}/passages"

    codes = [post(client, url, self_body()).status_code for _ in range(3)]

    assert codes == [201, 201, 429]
    assert Passage.objects.count() == 2


def test_staff_confirm_the_temperature_and_a_fever_alerts(as_user, checkpoint, client):
    created = post(client, f"{API}/public/{checkpoint.qr_token}/passages", self_body()).json()
    staff = as_user("checkpoint_staff")

    bad = post(staff, f"{API}/passages/{created['id']}/temperature", {"temperature": "44"})
    problem_of(bad, 422, "validation_failed")
    response = post(staff, f"{API}/passages/{created['id']}/temperature", {"temperature": "38.4"})

    assert response.status_code == 200, response.content
    assert response.json()["is_fever"] and response.json()["alert_id"]
    assert Alert.objects.filter(fever=True).count() == 1
    again = post(staff, f"{API}/passages/{created['id']}/temperature", {"temperature": "36.4"})
    problem_of(again, 409, "already_measured")


# --- People search -------------------------------------------------------------------------------


def test_people_search_finds_returning_visitors_masked(as_user, register, checkpoint):
    earlier = register(name="钱多多", phone="13655556666")

    found = (
        as_user("checkpoint_staff")
        .get(f"{API}/checkpoints/{checkpoint.pk}/people?q=13655556666")
        .json()
    )

    assert [(p["kind"], p["name"], p["passage_id"]) for p in found] == [
        ("visitor", "钱多多", earlier.pk)
    ]
    assert found[0]["masked_phone"] == "136****6666"
    again = post(
        as_user("checkpoint_staff"),
        f"{API}/checkpoints/{checkpoint.pk}/passages",
        {
            "direction": "out",
            "temperature": "36.4",
            "previous_passage_id": earlier.pk,
            "phone": "13655556666",  # the number the staff found the person by
        },
    )
    assert again.status_code == 201, again.content
    assert Passage.objects.get(pk=again.json()["id"]).phone == "13655556666"
    assert Passage.objects.get(pk=again.json()["id"]).name == "钱多多"


def test_people_search_wants_a_whole_identifier(as_user, checkpoint):
    response = as_user("checkpoint_staff").get(f"{API}/checkpoints/{checkpoint.pk}/people?q=王")

    problem_of(response, 422, "query_not_an_identifier")
