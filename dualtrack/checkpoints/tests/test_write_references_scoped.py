"""Every id a checkpoints write takes is found through the acting user's scope: out of it the
answer is 404, the same as for an id that exists nowhere, and nothing of the record comes back.
Ids that a registration links (a resident, an earlier passage) answer alike whether they exist."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from dualtrack.areas.models import Cadre, CadreOrigin, Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.checkpoints.models import Checkpoint, CheckpointStaff, Passage, Shift
from dualtrack.checkpoints.services.passages import passage_register
from dualtrack.checkpoints.services.registry import checkpoint_update, shift_create
from dualtrack.checkpoints.services.self_registration import passage_self_register
from dualtrack.checkpoints.tests.conftest import make_input
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.tests.helpers import JSON, problem_of

API = "/api/checkpoints"
NOWHERE = 987654


def send(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data), content_type=JSON)


def _same_answer(a, b) -> dict:
    """Two problems that must not tell apart an out-of-scope record from a missing one."""
    first, second = a.json(), b.json()
    assert (a.status_code, first["code"], first["detail"], first.get("errors")) == (
        b.status_code,
        second["code"],
        second["detail"],
        second.get("errors"),
    )
    return first


@pytest.fixture
def district_cadre(district) -> Cadre:
    return Cadre.objects.create(
        name="区直干部甲", origin=CadreOrigin.DISTRICT_ORGAN, area=district.root
    )


@pytest.fixture
def far_cadre(district) -> Cadre:
    return Cadre.objects.create(
        name="麻丘干部乙", origin=CadreOrigin.TOWN_VILLAGE, area=district.far_village
    )


@pytest.fixture
def far_gate_user(district, personas) -> User:
    user = User.objects.create_user(username="fargate", password="x", display_name="麻丘门岗")
    role_grant_create(
        actor=personas.district_admin,
        user=user,
        role=Role.CHECKPOINT_STAFF,
        area=district.far_village,
    )
    return user


# --- The person in charge ---------------------------------------------------------------------


@pytest.mark.parametrize("cadre_fixture", ["district_cadre", "far_cadre"])
def test_a_person_in_charge_out_of_scope_is_not_found_and_not_named(
    request, as_user, checkpoint, liaison, cadre_fixture
):
    cadre = request.getfixturevalue(cadre_fixture)
    client = as_user("town_officer")
    url = f"{API}/checkpoints/{checkpoint.pk}"

    refused = send(client, "patch", url, {"person_in_charge_id": cadre.pk})
    missing = send(client, "patch", url, {"person_in_charge_id": NOWHERE})

    problem = _same_answer(refused, missing)
    assert problem["status"] == 404
    assert problem["errors"][0]["field"] == "person_in_charge_id"
    assert cadre.name not in refused.content.decode()
    assert Checkpoint.objects.get(pk=checkpoint.pk).person_in_charge_id == liaison.pk


def test_a_checkpoint_is_not_created_with_a_person_in_charge_out_of_scope(
    as_user, district, district_cadre
):
    response = send(
        as_user("town_officer"),
        "post",
        f"{API}/checkpoints",
        {
            "area_id": district.village.pk,
            "name": "艾溪村西口",
            "person_in_charge_id": district_cadre.pk,
        },
    )

    problem_of(response, 404, "not_found")
    assert district_cadre.name not in response.content.decode()
    assert not Checkpoint.objects.filter(name="艾溪村西口").exists()


def test_a_person_in_charge_in_scope_is_set(as_user, checkpoint, district):
    local = Cadre.objects.create(
        name="艾溪村干部丙", origin=CadreOrigin.TOWN_VILLAGE, area=district.village
    )

    response = send(
        as_user("town_officer"),
        "patch",
        f"{API}/checkpoints/{checkpoint.pk}",
        {"person_in_charge_id": local.pk},
    )

    assert response.status_code == 200, response.content
    assert response.json()["person_in_charge"]["name"] == "艾溪村干部丙"


def test_the_service_refuses_a_cadre_object_out_of_the_actors_scope(
    personas, checkpoint, district_cadre, liaison
):
    with pytest.raises(NotFound):
        checkpoint_update(
            actor=personas.town_officer, checkpoint=checkpoint, person_in_charge=district_cadre
        )
    assert Checkpoint.objects.get(pk=checkpoint.pk).person_in_charge_id == liaison.pk


def test_the_edit_page_refuses_a_person_in_charge_out_of_scope(
    as_user, checkpoint, district_cadre, liaison
):
    response = as_user("town_officer").post(
        reverse("checkpoint_edit", args=[checkpoint.pk]),
        {
            "name": checkpoint.name,
            "kind": checkpoint.kind,
            "status": checkpoint.status,
            "person_in_charge": district_cadre.pk,
        },
    )

    assert response.status_code == 422
    assert district_cadre.name not in response.content.decode()
    assert Checkpoint.objects.get(pk=checkpoint.pk).person_in_charge_id == liaison.pk


# --- Staff and shifts ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["far_gate_user", "district_admin", "outsider"])
def test_staff_out_of_scope_are_not_found_and_not_named(
    request, as_user, personas, checkpoint, far_gate_user, who
):
    user = far_gate_user if who == "far_gate_user" else getattr(personas, who)
    client = as_user("town_officer")
    url = f"{API}/checkpoints/{checkpoint.pk}/staff"

    refused = send(client, "put", url, {"user_ids": [personas.checkpoint_staff.pk, user.pk]})
    missing = send(client, "put", url, {"user_ids": [personas.checkpoint_staff.pk, NOWHERE]})

    assert _same_answer(refused, missing)["status"] == 404
    assert user.username not in refused.content.decode()
    assert set(CheckpointStaff.objects.values_list("user_id", flat=True)) == {
        personas.checkpoint_staff.pk
    }


def test_a_shift_takes_only_the_checkpoints_staff(as_user, personas, checkpoint, far_gate_user):
    now = timezone.now()
    client = as_user("town_officer")
    url = f"{API}/checkpoints/{checkpoint.pk}/shifts"
    body = {
        "starts_at": now.isoformat(),
        "ends_at": (now + datetime.timedelta(hours=8)).isoformat(),
    }

    refused = send(client, "post", url, {**body, "staff_ids": [far_gate_user.pk]})
    not_staff = send(client, "post", url, {**body, "staff_ids": [personas.village_cadre.pk]})
    missing = send(client, "post", url, {**body, "staff_ids": [NOWHERE]})

    _same_answer(refused, missing)
    _same_answer(not_staff, missing)
    problem_of(refused, 404, "not_found")
    assert far_gate_user.username not in refused.content.decode()
    assert not Shift.objects.exists()
    ok = send(client, "post", url, {**body, "staff_ids": [personas.checkpoint_staff.pk]})
    assert ok.status_code == 201, ok.content


def test_the_staff_page_refuses_a_user_out_of_scope(as_user, personas, checkpoint, far_gate_user):
    response = as_user("town_officer").post(
        reverse("checkpoint_staff", args=[checkpoint.pk]), {"users": [far_gate_user.pk]}
    )

    assert response.status_code == 422
    assert "麻丘门岗" not in response.content.decode()
    assert set(CheckpointStaff.objects.values_list("user_id", flat=True)) == {
        personas.checkpoint_staff.pk
    }


def test_the_shift_page_refuses_someone_not_on_the_staff(as_user, personas, checkpoint):
    now = timezone.localtime()
    response = as_user("town_officer").post(
        reverse("shift_create", args=[checkpoint.pk]),
        {
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
            "staff": [personas.district_admin.pk],
        },
    )

    assert response.status_code == 422
    assert not Shift.objects.exists()


# --- Links a registration takes -----------------------------------------------------------------


def test_a_resident_id_answers_alike_whether_it_exists(
    as_user, personas, district, checkpoint, shift
):
    household = make_household(actor=personas.district_admin, area=district.far_group)
    far = make_resident(actor=personas.district_admin, household=household, name="远方居民")
    client = as_user("checkpoint_staff")
    url = f"{API}/checkpoints/{checkpoint.pk}/passages"
    body = {
        "direction": "in",
        "temperature": "36.5",
        "notice_given": True,
        "name": "某人",
        "phone": "13900001111",
    }

    exists = send(client, "post", url, {**body, "resident_id": far.pk})
    nowhere = send(client, "post", url, {**body, "resident_id": NOWHERE})

    assert _same_answer(exists, nowhere)["status"] == 422
    assert not Passage.objects.exists()


def test_a_previous_passage_id_answers_alike_whether_it_exists_or_is_out_of_sight(
    as_user, personas, checkpoint, other_checkpoint, register, shift
):
    here = register(name="钱多多", phone="13655556666")
    # At the village's other gate, which the checkpoint_staff persona does not staff.
    there = passage_register(
        actor=personas.district_admin,
        checkpoint=other_checkpoint,
        data=make_input(name="孙远", phone="13677778888"),
    )
    client = as_user("checkpoint_staff")
    url = f"{API}/checkpoints/{checkpoint.pk}/passages"
    body = {"direction": "out", "temperature": "36.4"}

    without_number = send(client, "post", url, {**body, "previous_passage_id": here.pk})
    out_of_sight = send(
        client, "post", url, {**body, "previous_passage_id": there.pk, "phone": "13677778888"}
    )
    nowhere = send(client, "post", url, {**body, "previous_passage_id": NOWHERE})

    _same_answer(without_number, nowhere)
    _same_answer(out_of_sight, nowhere)
    assert "孙远" not in out_of_sight.content.decode()
    assert Passage.objects.count() == 2


# --- Areas ---------------------------------------------------------------------------------------


def test_an_area_out_of_scope_answers_as_one_that_does_not_exist(as_user, district, checkpoint):
    client = as_user("town_officer")
    far, nowhere = district.far_village.pk, NOWHERE

    created = [
        send(client, "post", f"{API}/checkpoints", {"area_id": area, "name": "x"})
        for area in (far, nowhere)
    ]
    figures = [client.get(f"{API}/figures?area={area}") for area in (far, nowhere)]
    daily = [client.get(f"{API}/figures/daily?area={area}") for area in (far, nowhere)]

    for refused, missing in (created, figures, daily):
        assert _same_answer(refused, missing)["status"] == 404
    # A gate's staff read the figures of their gate's town, outside their grants' tree.
    assert as_user("checkpoint_staff").get(f"{API}/figures?area={district.town.pk}").json()


# --- Every write route, with the record it names out of sight ----------------------------------


@pytest.fixture
def far_records(personas, far_checkpoint):
    """A shift, a self-registration awaiting its temperature and a fever alert at a checkpoint
    of another town."""
    now = timezone.now()
    shift = shift_create(
        actor=personas.district_admin,
        checkpoint=far_checkpoint,
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=8),
        staff=[],
    )
    waiting = passage_self_register(
        token=far_checkpoint.qr_token, data=make_input(temperature=None)
    )
    fever = passage_register(
        actor=personas.district_admin, checkpoint=far_checkpoint, data=make_input(temperature="39")
    )
    return {"shift": shift, "waiting": waiting, "alert": fever.alert}


def _write_routes(far_checkpoint, records, nowhere: bool):
    def pk(obj):
        return NOWHERE if nowhere else obj.pk

    now = timezone.now()
    checkpoint = pk(far_checkpoint)
    return [
        ("patch", f"{API}/checkpoints/{checkpoint}", {"name": "改名"}),
        ("post", f"{API}/checkpoints/{checkpoint}/rotate-token", {}),
        ("put", f"{API}/checkpoints/{checkpoint}/kit/thermometer", {"present": True}),
        ("put", f"{API}/checkpoints/{checkpoint}/staff", {"user_ids": []}),
        (
            "post",
            f"{API}/checkpoints/{checkpoint}/shifts",
            {
                "starts_at": now.isoformat(),
                "ends_at": (now + datetime.timedelta(hours=1)).isoformat(),
            },
        ),
        ("post", f"{API}/shifts/{pk(records['shift'])}/handover", {"note": "交接"}),
        (
            "post",
            f"{API}/checkpoints/{checkpoint}/passages",
            {"direction": "in", "temperature": "36.5", "name": "某", "phone": "13900001111"},
        ),
        ("post", f"{API}/passages/{pk(records['waiting'])}/temperature", {"temperature": "36.5"}),
        ("post", f"{API}/alerts/{pk(records['alert'])}/handle", {"outcome": "home_quarantine"}),
    ]


def test_every_write_route_answers_a_record_out_of_sight_as_one_that_does_not_exist(
    as_user, far_checkpoint, far_records
):
    client = as_user("town_officer")
    out_of_sight = _write_routes(far_checkpoint, far_records, nowhere=False)
    missing = _write_routes(far_checkpoint, far_records, nowhere=True)

    for (method, url, body), (_, missing_url, _) in zip(out_of_sight, missing, strict=True):
        refused = send(client, method, url, body)
        assert refused.status_code == 404, (url, refused.content)
        assert _same_answer(refused, send(client, method, missing_url, body))
        assert far_checkpoint.name not in refused.content.decode()
    far_checkpoint.refresh_from_db()
    assert far_checkpoint.name == "麻丘社区南门"
    assert not far_checkpoint.kit_checks.exists()
    assert Passage.objects.filter(checkpoint=far_checkpoint).count() == 2


def test_every_write_page_answers_a_record_out_of_sight_with_not_found(
    as_user, far_checkpoint, far_records
):
    client = as_user("town_officer")
    checkpoint = far_checkpoint.pk
    pages = [
        reverse("checkpoint_edit", args=[checkpoint]),
        reverse("checkpoint_kit", args=[checkpoint, "thermometer"]),
        reverse("checkpoint_staff", args=[checkpoint]),
        reverse("shift_create", args=[checkpoint]),
        reverse("shift_handover", args=[far_records["shift"].pk]),
        reverse("checkpoint_rotate_token", args=[checkpoint]),
        reverse("checkpoint_passages_reveal", args=[checkpoint]),
        reverse("checkpoint_register", args=[checkpoint]),
        reverse("passage_temperature", args=[checkpoint, far_records["waiting"].pk]),
        reverse("alert_handle", args=[far_records["alert"].pk]),
    ]

    for url in pages:
        response = client.post(url, {"note": "x", "temperature": "36.5", "outcome": "other"})
        assert response.status_code == 404, url
        assert "麻丘社区南门" not in response.content.decode()
    assert Passage.objects.filter(checkpoint=far_checkpoint).count() == 2
    assert far_records["alert"].__class__.objects.get(pk=far_records["alert"].pk).is_open


def test_a_person_in_charge_set_from_above_is_kept_when_the_town_edits(
    as_user, personas, checkpoint, district_cadre
):
    checkpoint_update(
        actor=personas.district_admin, checkpoint=checkpoint, person_in_charge=district_cadre
    )
    client = as_user("town_officer")

    page = client.get(reverse("checkpoint_edit", args=[checkpoint.pk])).content.decode()
    saved = client.post(
        reverse("checkpoint_edit", args=[checkpoint.pk]),
        {
            "name": "艾溪村东口（新）",
            "kind": checkpoint.kind,
            "status": checkpoint.status,
            "person_in_charge": district_cadre.pk,
        },
    )
    again = send(
        client,
        "patch",
        f"{API}/checkpoints/{checkpoint.pk}",
        {"person_in_charge_id": district_cadre.pk, "duty_team": "新值班组"},
    )

    assert f'value="{district_cadre.pk}" selected' in page
    assert saved.status_code == 302
    assert again.status_code == 200, again.content
    checkpoint.refresh_from_db()
    assert checkpoint.name == "艾溪村东口（新）" and checkpoint.duty_team == "新值班组"
    assert checkpoint.person_in_charge_id == district_cadre.pk
