"""Shared fixtures of the checkpoints tests (C1 keeps them; ask for more in the contract file).

- ``checkpoint``: 艾溪村东口, open, in ``district.village`` (艾溪村); the ``checkpoint_staff``
  persona is on its staff; the village cadre's Cadre is its person in charge.
- ``other_checkpoint``: 艾溪村北口, same village, nobody on its staff.
- ``far_checkpoint``: in ``district.far_village`` (麻丘社区, another town).
- ``shift``: a shift on duty now at ``checkpoint`` (from 2 hours ago to 6 hours from now), the
  checkpoint_staff persona on it.
- ``risk_area``: 湖北省 (420000), high risk, in force since ten days ago.
- ``liaison``: the village cadre persona's Cadre, liaison of 艾溪村.
- ``passage_input(**changes)``: a valid PassageInput (in, 36.5 °C, a fresh ID number).
- ``register(**changes)``: registers one passage at ``checkpoint`` as the checkpoint_staff.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from dualtrack.areas.models import Cadre, CadreOrigin, LiaisonAssignment
from dualtrack.areas.tests.factories import make_id_number, make_phone
from dualtrack.checkpoints.models import Checkpoint, CheckpointKind, Shift
from dualtrack.checkpoints.services.passage_input import PassageInput
from dualtrack.checkpoints.services.passages import passage_register
from dualtrack.checkpoints.services.registry import (
    checkpoint_create,
    checkpoint_staff_set,
    shift_create,
)

HUBEI = "420000"
WUHAN_JIANGAN = "420102"
NANCHANG_QINGSHANHU = "360111"


@pytest.fixture
def liaison(district, personas) -> Cadre:
    cadre = Cadre.objects.create(
        name="李挂点",
        origin=CadreOrigin.DISTRICT_ORGAN,
        area=district.village,
        user=personas.village_cadre,
    )
    LiaisonAssignment.objects.create(
        cadre=cadre, area=district.village, since=datetime.date(2020, 1, 27)
    )
    return cadre


@pytest.fixture
def checkpoint(district, personas, liaison) -> Checkpoint:
    checkpoint = checkpoint_create(
        actor=personas.district_admin,
        area=district.village,
        name="艾溪村东口",
        kind=CheckpointKind.VILLAGE_ENTRANCE,
        latitude=Decimal("28.700000"),
        longitude=Decimal("115.950000"),
        person_in_charge=liaison,
        duty_team="艾溪村值班组",
        chat_group="艾溪村防控群",
    )
    checkpoint_staff_set(
        actor=personas.district_admin, checkpoint=checkpoint, users=[personas.checkpoint_staff]
    )
    return checkpoint


@pytest.fixture
def other_checkpoint(district, personas) -> Checkpoint:
    return checkpoint_create(
        actor=personas.district_admin, area=district.village, name="艾溪村北口"
    )


@pytest.fixture
def far_checkpoint(district, personas) -> Checkpoint:
    return checkpoint_create(
        actor=personas.district_admin,
        area=district.far_village,
        name="麻丘社区南门",
        kind=CheckpointKind.COMMUNITY_GATE,
    )


@pytest.fixture
def shift(checkpoint, personas) -> Shift:
    now = timezone.now()
    return shift_create(
        actor=personas.district_admin,
        checkpoint=checkpoint,
        starts_at=now - datetime.timedelta(hours=2),
        ends_at=now + datetime.timedelta(hours=6),
        staff=[personas.checkpoint_staff],
    )


def make_input(**changes) -> PassageInput:
    values: dict[str, Any] = {
        "direction": "in",
        "temperature": Decimal("36.5"),
        "name": "王小明",
        "id_number": make_id_number(),
        "phone": make_phone(),
        "origin_code": NANCHANG_QINGSHANHU,
        "purpose": "回家",
        "notice_given": True,
    }
    values.update(changes)
    return PassageInput(**values)


@pytest.fixture
def passage_input():
    return make_input


@pytest.fixture
def register(checkpoint, personas):
    def do(**changes):
        return passage_register(
            actor=personas.checkpoint_staff, checkpoint=checkpoint, data=make_input(**changes)
        )

    return do
