"""/api/checkpoints: the registry, kit, staff and shifts, scoped, with problem+json."""

from __future__ import annotations

import datetime
import json

from django.utils import timezone

from dualtrack.checkpoints.models import Checkpoint, KitCheck, Shift
from dualtrack.core.tests.helpers import JSON, problem_of

API = "/api/checkpoints"


def send(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data), content_type=JSON)


def test_a_town_officer_registers_a_checkpoint_in_their_town(as_user, district):
    response = send(
        as_user("town_officer"),
        "post",
        f"{API}/checkpoints",
        {
            "area_id": district.village.pk,
            "name": "艾溪村西口",
            "kind": "road",
            "latitude": "28.71",
            "longitude": "115.93",
            "opens_at": "06:00",
            "closes_at": "22:00",
        },
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "open" and data["qr_token"]
    assert [k["present"] for k in data["kit"]] == [False] * 10


def test_registering_outside_the_town_or_badly_is_refused(as_user, district, checkpoint):
    client = as_user("town_officer")

    problem_of(
        send(
            client, "post", f"{API}/checkpoints", {"area_id": district.far_village.pk, "name": "x"}
        ),
        404,
        "not_found",
    )
    bad = send(
        client,
        "post",
        f"{API}/checkpoints",
        {"area_id": district.village.pk, "name": "", "latitude": "123"},
    )
    fields = {e["field"] for e in problem_of(bad, 422, "validation_failed")["errors"]}
    assert {"name", "latitude"} <= fields
    taken = send(
        client,
        "post",
        f"{API}/checkpoints",
        {"area_id": district.village.pk, "name": checkpoint.name},
    )
    problem_of(taken, 422, "name_taken")
    town = send(client, "post", f"{API}/checkpoints", {"area_id": district.town.pk, "name": "镇口"})
    problem_of(town, 422, "area_kind_not_allowed")
    assert Checkpoint.objects.count() == 1


def test_a_village_cadre_sees_only_their_villages_checkpoints(
    as_user, checkpoint, other_checkpoint, far_checkpoint
):
    client = as_user("village_cadre")

    names = [c["name"] for c in client.get(f"{API}/checkpoints").json()["items"]]

    assert sorted(names) == sorted([checkpoint.name, other_checkpoint.name])
    problem_of(client.get(f"{API}/checkpoints/{far_checkpoint.pk}"), 404, "not_found")


def test_checkpoint_staff_see_only_the_gates_they_staff(as_user, checkpoint, other_checkpoint):
    client = as_user("checkpoint_staff")

    items = client.get(f"{API}/checkpoints").json()["items"]

    assert [c["id"] for c in items] == [checkpoint.pk]
    problem_of(client.get(f"{API}/checkpoints/{other_checkpoint.pk}"), 404, "not_found")


def test_the_list_filters_by_town_and_status(as_user, checkpoint, far_checkpoint, district):
    client = as_user("district_admin")

    by_town = client.get(f"{API}/checkpoints?town={district.other_town.pk}").json()["items"]
    closed = client.get(f"{API}/checkpoints?status=closed").json()["items"]

    assert [c["id"] for c in by_town] == [far_checkpoint.pk]
    assert closed == []


def test_patch_changes_only_what_is_sent_and_checks_scope(as_user, checkpoint, far_checkpoint):
    client = as_user("town_officer")

    response = send(client, "patch", f"{API}/checkpoints/{checkpoint.pk}", {"status": "suspended"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "suspended"
    assert response.json()["duty_team"] == "艾溪村值班组"
    problem_of(
        send(client, "patch", f"{API}/checkpoints/{far_checkpoint.pk}", {"status": "closed"}),
        404,
        "not_found",
    )
    problem_of(
        send(client, "patch", f"{API}/checkpoints/{checkpoint.pk}", {"status": "gone"}),
        422,
        "validation_failed",
    )
    staff = as_user("checkpoint_staff")
    problem_of(
        send(staff, "patch", f"{API}/checkpoints/{checkpoint.pk}", {"status": "open"}),
        403,
        "permission_denied",
    )


def test_rotating_the_token_changes_it(as_user, checkpoint):
    response = as_user("town_officer").post(f"{API}/checkpoints/{checkpoint.pk}/rotate-token")

    assert response.status_code == 200
    assert response.json()["qr_token"] != checkpoint.qr_token


def test_the_kit_is_checked_item_by_item_with_who_and_when(as_user, checkpoint, personas):
    client = as_user("checkpoint_staff")

    response = send(
        client, "put", f"{API}/checkpoints/{checkpoint.pk}/kit/thermometer", {"present": True}
    )
    unknown = send(
        client, "put", f"{API}/checkpoints/{checkpoint.pk}/kit/umbrella", {"present": True}
    )

    assert response.status_code == 200, response.content
    check = KitCheck.objects.get(checkpoint=checkpoint, item="thermometer")
    assert check.present and check.checked_by == personas.checkpoint_staff
    problem_of(unknown, 422, "unknown_item")


def test_staff_are_set_from_those_who_may_work_there(as_user, checkpoint, personas):
    client = as_user("town_officer")

    ok = send(
        client,
        "put",
        f"{API}/checkpoints/{checkpoint.pk}/staff",
        {"user_ids": [personas.checkpoint_staff.pk, personas.village_cadre.pk]},
    )
    refused = send(
        client,
        "put",
        f"{API}/checkpoints/{checkpoint.pk}/staff",
        {"user_ids": [personas.outsider.pk]},
    )
    missing = send(client, "put", f"{API}/checkpoints/{checkpoint.pk}/staff", {"user_ids": [99999]})

    assert ok.json()["staff_ids"] == sorted(
        [personas.checkpoint_staff.pk, personas.village_cadre.pk]
    )
    # Someone who may not work here and an id that exists nowhere get the same answer.
    assert problem_of(refused, 404, "not_found") == problem_of(missing, 404, "not_found")


def test_shifts_are_created_listed_handed_over_and_summarised(
    as_user, checkpoint, personas, register
):
    client = as_user("town_officer")
    now = timezone.now()

    created = send(
        client,
        "post",
        f"{API}/checkpoints/{checkpoint.pk}/shifts",
        {
            "starts_at": (now - datetime.timedelta(hours=1)).isoformat(),
            "ends_at": (now + datetime.timedelta(hours=7)).isoformat(),
            "staff_ids": [personas.checkpoint_staff.pk],
        },
    )
    assert created.status_code == 201, created.content
    shift_id = created.json()["id"]
    register()
    register(temperature="38.0")

    listed = client.get(f"{API}/checkpoints/{checkpoint.pk}/shifts").json()
    handover = send(
        as_user("checkpoint_staff"),
        "post",
        f"{API}/shifts/{shift_id}/handover",
        {"note": "体温计电量低"},
    )
    summary = client.get(f"{API}/shifts/{shift_id}/summary").json()

    assert [s["id"] for s in listed] == [shift_id]
    assert handover.json()["handover_note"] == "体温计电量低"
    assert summary["figures"]["people_in"] == 2 and summary["figures"]["fevers"] == 1
    assert summary["figures"]["alerts_open"] == 1


def test_a_shift_that_ends_before_it_starts_is_refused(as_user, checkpoint):
    now = timezone.now()

    response = send(
        as_user("town_officer"),
        "post",
        f"{API}/checkpoints/{checkpoint.pk}/shifts",
        {"starts_at": now.isoformat(), "ends_at": (now - datetime.timedelta(hours=1)).isoformat()},
    )

    problem_of(response, 422, "validation_failed")
    assert Shift.objects.count() == 0


def test_readiness_lists_gaps_per_town(as_user, checkpoint, shift, other_checkpoint, personas):
    from dualtrack.checkpoints.models import KitItem
    from dualtrack.checkpoints.services.registry import kit_check

    for item in KitItem.values:
        kit_check(actor=personas.district_admin, checkpoint=checkpoint, item=item, present=True)

    towns = as_user("town_officer").get(f"{API}/readiness").json()

    assert [t["town"]["name"] for t in towns] == ["昌东镇"]
    entries = towns[0]["checkpoints"]
    assert [e["checkpoint_id"] for e in entries] == [other_checkpoint.pk]
    assert entries[0]["on_duty_now"] is False and len(entries[0]["missing_items"]) == 10
