"""Fixtures of the cases tests.

- ``checkpoint``: 艾溪村东口 in ``district.village``; ``far_checkpoint``: 麻丘社区南门 in
  ``district.far_village`` (another town).
- ``prevention`` / ``medical``: staff of the prevention / medical working groups (MANAGE_CASES).
- ``cluster``: a case (in 艾溪村) with passages at both gates, two people who passed within
  minutes of it (one twice), one who passed an hour later, and the case's own passages.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dualtrack.areas.models import Duty
from dualtrack.areas.tests.factories import make_id_number, make_phone
from dualtrack.checkpoints.models import Checkpoint, CheckpointKind
from dualtrack.checkpoints.services.registry import checkpoint_create
from dualtrack.health.models import Case
from dualtrack.health.tests.cases.factories import at_day, make_case, pass_gate


@pytest.fixture
def checkpoint(district, personas) -> Checkpoint:
    return checkpoint_create(
        actor=personas.district_admin,
        area=district.village,
        name="艾溪村东口",
        kind=CheckpointKind.VILLAGE_ENTRANCE,
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
def prevention(working_group_staff):
    return working_group_staff(Duty.PREVENTION, "prevention")


@pytest.fixture
def medical(working_group_staff):
    return working_group_staff(Duty.MEDICAL, "medical")


@dataclass
class Cluster:
    case: Case
    close_id: str  # passed twice within 2 minutes of the case
    near_id: str  # passed once, 10 minutes apart, at the far gate
    late_id: str  # passed an hour later: no contact
    phone_only: str  # a person known only by a mobile, 5 minutes apart


@pytest.fixture
def cluster(district, personas, checkpoint, far_checkpoint) -> Cluster:
    admin = personas.district_admin
    case_id = make_id_number()
    case_phone = make_phone()
    case = make_case(actor=admin, area=district.group, id_number=case_id, phone=case_phone)
    close_id, near_id, late_id = make_id_number(), make_id_number(), make_id_number()
    phone_only = make_phone()
    for day, hour in ((2, 8), (1, 8)):
        pass_gate(
            actor=admin,
            checkpoint=checkpoint,
            at=at_day(day, hour),
            name="刘病例",
            id_number=case_id,
            phone=case_phone,
        )
        pass_gate(
            actor=admin,
            checkpoint=checkpoint,
            at=at_day(day, hour, 2),
            name="陈密接",
            id_number=close_id,
        )
    pass_gate(
        actor=admin,
        checkpoint=far_checkpoint,
        at=at_day(2, 17),
        name="刘病例",
        id_number=case_id,
        phone=case_phone,
    )
    pass_gate(
        actor=admin,
        checkpoint=far_checkpoint,
        at=at_day(2, 17, 10),
        name="赵一般",
        id_number=near_id,
    )
    pass_gate(
        actor=admin,
        checkpoint=far_checkpoint,
        at=at_day(2, 18, 10),
        name="钱无关",
        id_number=late_id,
    )
    pass_gate(
        actor=admin,
        checkpoint=checkpoint,
        at=at_day(1, 7, 55),
        name="孙手机",
        id_number="",
        phone=phone_only,
    )
    return Cluster(case, close_id, near_id, late_id, phone_only)
