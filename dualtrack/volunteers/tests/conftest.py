"""Fixtures of the front line's tests.

- ``gate``: 艾溪村东口 in ``district.village`` (昌东镇); ``far_gate``: in ``district.far_village``.
- ``shift`` / ``far_shift``: a shift at each from 2 hours ago to 6 hours from now, nobody on it.
- ``sign_up(villages, **changes)``: a volunteer's public sign-up (pending).
- ``volunteer``: approved, serving ``district.village``, with a login; ``far_volunteer``:
  approved in ``district.far_village``.
- ``cadre``: a cadre posted to ``district.village``, without a login.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from dualtrack.areas.models import Area, Cadre, CadreOrigin
from dualtrack.areas.tests.factories import make_id_number, make_phone
from dualtrack.checkpoints.models import Checkpoint, Shift
from dualtrack.checkpoints.services.registry import checkpoint_create, shift_create
from dualtrack.volunteers.models import Volunteer
from dualtrack.volunteers.services import volunteers

SignUp = Callable[..., Volunteer]


@pytest.fixture
def gate(district, personas) -> Checkpoint:
    return checkpoint_create(
        actor=personas.district_admin, area=district.village, name="艾溪村东口"
    )


@pytest.fixture
def far_gate(district, personas) -> Checkpoint:
    return checkpoint_create(
        actor=personas.district_admin, area=district.far_village, name="麻丘社区南门"
    )


def _shift(actor, checkpoint: Checkpoint, hours_ago: int = 2, length: int = 8) -> Shift:
    now = timezone.now()
    start = now - datetime.timedelta(hours=hours_ago)
    return shift_create(
        actor=actor,
        checkpoint=checkpoint,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=length),
        staff=[],
    )


@pytest.fixture
def make_shift(personas) -> Callable[..., Shift]:
    return lambda checkpoint, **kw: _shift(personas.district_admin, checkpoint, **kw)


@pytest.fixture
def shift(personas, gate) -> Shift:
    return _shift(personas.district_admin, gate)


@pytest.fixture
def far_shift(personas, far_gate) -> Shift:
    return _shift(personas.district_admin, far_gate)


@pytest.fixture
def sign_up(db) -> SignUp:
    def make(villages: list[Area], **changes: Any) -> Volunteer:
        fields: dict[str, Any] = {
            "name": "王志愿",
            "mobile": make_phone(),
            "id_number": make_id_number(),
            "skills": "驾驶、急救",
            "hours_per_week": 20,
            "village_ids": [v.pk for v in villages],
            **changes,
        }
        return volunteers.volunteer_sign_up(data=volunteers.clean_sign_up(**fields))

    return make


@pytest.fixture
def volunteer(sign_up, district, personas) -> Volunteer:
    pending = sign_up([district.village], name="李志愿")
    return volunteers.volunteer_approve(actor=personas.village_cadre, volunteer=pending).volunteer


@pytest.fixture
def far_volunteer(sign_up, district, personas) -> Volunteer:
    pending = sign_up([district.far_village], name="赵志愿")
    return volunteers.volunteer_approve(actor=personas.district_admin, volunteer=pending).volunteer


@pytest.fixture
def cadre(district) -> Cadre:
    return Cadre.objects.create(
        name="张干部", origin=CadreOrigin.DISTRICT_ORGAN, area=district.village
    )
