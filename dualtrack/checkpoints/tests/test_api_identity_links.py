"""A registration may link a known resident or an earlier passage, whose numbers it then copies;
the ids are sequential, so the link takes the number the person was found by, on every path."""

from __future__ import annotations

import json
import uuid

from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.checkpoints.models import Passage
from dualtrack.core.tests.helpers import problem_of

JSON = "application/json"


def _far_resident(personas, district):
    household = make_household(actor=personas.district_admin, area=district.far_group)
    return make_resident(actor=personas.district_admin, household=household, name="远方居民")


def test_a_resident_id_of_another_town_copies_nothing_into_the_register(
    as_user, personas, district, checkpoint, shift
):
    far = _far_resident(personas, district)
    cadre = as_user("village_cadre")  # may read the register of the gate unmasked
    body = {"direction": "in", "temperature": "36.5", "resident_id": far.pk, "notice_given": True}
    response = cadre.post(
        f"/api/checkpoints/checkpoints/{checkpoint.pk}/passages", json.dumps(body), JSON
    )
    problem = problem_of(response, 422, "validation_failed")
    assert "resident_id" in {error["field"] for error in problem["errors"]}
    assert not Passage.objects.filter(resident=far).exists()
    listed = cadre.get(f"/api/checkpoints/checkpoints/{checkpoint.pk}/passages?unmasked=true")
    assert far.id_number not in listed.content.decode()


def test_the_same_link_with_the_number_found_by_registers_the_resident(
    as_user, personas, district, checkpoint, shift
):
    far = _far_resident(personas, district)
    body = {
        "direction": "in",
        "temperature": "36.5",
        "resident_id": far.pk,
        "phone": far.phone,
        "notice_given": True,
    }
    response = as_user("checkpoint_staff").post(
        f"/api/checkpoints/checkpoints/{checkpoint.pk}/passages", json.dumps(body), JSON
    )
    assert response.status_code == 201, response.content
    passage = Passage.objects.get(pk=response.json()["id"])
    assert (passage.resident_id, passage.name, passage.id_number) == (
        far.pk,
        "远方居民",
        far.id_number,
    )


def test_a_synced_row_with_a_bare_resident_id_is_rejected(
    as_user, personas, district, checkpoint, shift
):
    row = {
        "checkpoint_id": checkpoint.pk,
        "client_id": str(uuid.uuid4()),
        "direction": "in",
        "temperature": "36.5",
        "resident_id": _far_resident(personas, district).pk,
        "notice_given": True,
    }
    response = as_user("checkpoint_staff").post(
        "/api/checkpoints/passages/sync", json.dumps({"rows": [row]}), JSON
    )
    body = response.json()
    assert body["accepted"] == []
    assert "resident_id" in body["rejected"][0]["errors"]
    assert not Passage.objects.exists()
