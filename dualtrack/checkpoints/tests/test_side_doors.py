"""Nothing read through a side door: the people lookup tells only what the user's own gates saw,
the public self-registration echoes nothing it already stored, and an alert's person is shown
to those who handle it, not to roles that only view."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dualtrack.areas.models import Duty, Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.checkpoints.models import Passage
from dualtrack.checkpoints.services.passage_input import PassageInput
from dualtrack.checkpoints.services.passages import passage_register
from dualtrack.checkpoints.services.self_registration import passage_self_register
from dualtrack.checkpoints.tests.conftest import WUHAN_JIANGAN, make_input
from dualtrack.core.models import User
from dualtrack.core.tests.helpers import JSON

API = "/api/checkpoints"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "side-door-tests",
        }
    }
    cache.clear()


# --- 17: the people lookup ----------------------------------------------------------------------


def test_the_lookup_shows_no_visitor_seen_only_at_a_gate_the_user_does_not_staff(
    as_user, personas, checkpoint, other_checkpoint
):
    id_number = make_input().id_number
    there = passage_register(
        actor=personas.district_admin,
        checkpoint=other_checkpoint,
        data=make_input(name="孙远", id_number=id_number),
    )

    staff = as_user("checkpoint_staff").get(
        f"{API}/checkpoints/{checkpoint.pk}/people?q={id_number}"
    )
    cadre = as_user("village_cadre").get(f"{API}/checkpoints/{checkpoint.pk}/people?q={id_number}")

    assert staff.status_code == 200
    assert staff.json() == []
    assert str(there.pk) not in staff.content.decode()
    # The village cadre reads the registers of every gate of the village, the district's
    # administrator every gate: they may see it.
    assert [m["passage_id"] for m in cadre.json()] == [there.pk]
    admin = as_user("district_admin").get(f"{API}/checkpoints/{checkpoint.pk}/people?q={id_number}")
    assert [m["passage_id"] for m in admin.json()] == [there.pk]


def test_a_residents_last_seen_counts_only_the_users_gates(
    as_user, personas, district, checkpoint, other_checkpoint
):
    household = make_household(actor=personas.district_admin, area=district.group)
    resident = make_resident(actor=personas.district_admin, household=household, name="周本村")
    for hours in (8, 5):
        here = passage_register(
            actor=personas.checkpoint_staff,
            checkpoint=checkpoint,
            data=make_input(
                resident_id=resident.pk,
                id_number=resident.id_number,
                occurred_at=timezone.now() - timezone.timedelta(hours=hours),
            ),
        )
    passage_register(
        actor=personas.district_admin,
        checkpoint=other_checkpoint,
        data=make_input(resident_id=resident.pk, id_number=resident.id_number),
    )

    found = (
        as_user("checkpoint_staff")
        .get(f"{API}/checkpoints/{checkpoint.pk}/people?q={resident.id_number}")
        .json()
    )

    assert [(m["kind"], m["name"]) for m in found] == [("resident", "周本村")]
    seen = found[0]["last_seen"].replace("Z", "+00:00")
    # The newest at the user's gate (milliseconds in the API); the other gate saw them just now.
    shown = here.occurred_at.replace(microsecond=here.occurred_at.microsecond // 1000 * 1000)
    assert timezone.datetime.fromisoformat(seen) == shown


# --- 18: the public self-registration ---------------------------------------------------------


def _self_body(**changes):
    values = {
        "direction": "in",
        "name": "赵丽",
        "id_number": make_input().id_number,
        "phone": "13711112222",
        "origin_code": "360111",
    }
    values.update(changes)
    return values


def test_a_stored_client_id_answers_already_received_with_nothing_of_the_row(
    client, personas, checkpoint, far_checkpoint
):
    stored = passage_register(
        actor=personas.district_admin,
        checkpoint=far_checkpoint,
        data=make_input(name="钱秘密", client_id=uuid.uuid4()),
    )
    url = f"{API}/public/{checkpoint.qr_token}/passages"

    response = client.post(
        url, json.dumps(_self_body(client_id=str(stored.client_id))), content_type=JSON
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"already_received": True, "detail": "此登记已收到。"}
    assert Passage.objects.count() == 1


def test_a_repeat_of_ones_own_registration_also_echoes_nothing(client, checkpoint):
    url = f"{API}/public/{checkpoint.qr_token}/passages"
    body = json.dumps(_self_body(client_id=str(uuid.uuid4())))

    first = client.post(url, body, content_type=JSON)
    again = client.post(url, body, content_type=JSON)

    assert first.status_code == 201
    assert again.status_code == 200
    assert set(again.json()) == {"already_received", "detail"}


def test_the_public_page_says_already_received_without_the_stored_row(
    client, personas, checkpoint, far_checkpoint
):
    stored = passage_register(
        actor=personas.district_admin,
        checkpoint=far_checkpoint,
        data=make_input(name="钱秘密", client_id=uuid.uuid4()),
    )
    form = {**_self_body(client_id=str(stored.client_id)), "notice_given": "on"}

    response = client.post(reverse("public_register", args=[checkpoint.qr_token]), form)

    assert response.status_code == 200
    body = response.content.decode()
    assert "已收到" in body
    assert "钱秘密" not in body and far_checkpoint.name not in body
    assert stored.occurred_at.strftime("%H:%M") not in body.split('id="main"', 1)[1]
    assert Passage.objects.count() == 1


# --- 26: the risk-area instruction ---------------------------------------------------------------


def test_a_self_registrant_from_a_risk_area_is_told_what_to_do(
    client, checkpoint, risk_area, settings
):
    settings.QUARANTINE_DAYS = 14
    form = {**_self_body(origin_code=WUHAN_JIANGAN), "notice_given": "on"}

    response = client.post(reverse("public_register", args=[checkpoint.qr_token]), form)

    body = response.content.decode()
    assert "data-risk-instruction" in body
    assert "居家隔离 14 天" in body


def test_confirming_the_temperature_of_a_risk_arrival_shows_the_instruction(
    as_user, checkpoint, shift, risk_area, settings
):
    settings.QUARANTINE_DAYS = 14
    passage = passage_self_register(
        token=checkpoint.qr_token,
        data=PassageInput(**{**_self_body(origin_code=WUHAN_JIANGAN), "notice_given": True}),
    )
    assert passage is not None and passage.from_risk_area

    response = as_user("checkpoint_staff").post(
        reverse("passage_temperature", args=[checkpoint.pk, passage.pk]),
        {"temperature": "36.4"},
        **HTMX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "36.4 °C 已确认" in body
    assert "data-risk-instruction" in body
    assert "居家隔离 14 天" in body


# --- Alerts: the person is shown to those who handle them ----------------------------------------


@pytest.fixture
def volunteer(district, personas) -> User:
    user = User.objects.create_user(username="vol", password="x", display_name="志愿者")
    role_grant_create(
        actor=personas.district_admin, user=user, role=Role.VOLUNTEER, area=district.village
    )
    return user


def test_view_only_roles_see_an_alert_but_not_whose(
    client, as_user, register, volunteer, working_group_staff
):
    passage = register(name="吴发热", temperature="38.6")
    supplies = working_group_staff(Duty.SUPPLIES)

    for user in (volunteer, supplies):
        client.force_login(user)
        listed = client.get(f"{API}/alerts?status=all").json()
        page = client.get(reverse("alert_list") + "?status=all").content.decode()
        assert len(listed) == 1 and listed[0]["fever"] is True
        assert listed[0]["person_name"] is None and listed[0]["passage_id"] is None
        assert listed[0]["temperature"] is None and listed[0]["origin_name"] is None
        assert "吴发热" not in json.dumps(listed, ensure_ascii=False)
        assert "吴发热" not in page and "data-person-hidden" in page

    officer = as_user("town_officer")
    listed = officer.get(f"{API}/alerts").json()
    assert [(a["person_name"], a["passage_id"]) for a in listed] == [("吴发热", passage.pk)]
    assert "吴发热" in officer.get(reverse("alert_list")).content.decode()
