"""Fixtures of the screening tests.

- ``prevention``: staff of the prevention working group (MANAGE_CAMPAIGNS district-wide).
- ``volunteer``: a volunteer of ``district.village`` (艾溪村).
- ``liaison``: the village cadre persona's Cadre, liaison of 艾溪村.
- ``homes``: households with two residents each: two in ``district.group`` (艾溪村一组), one in
  ``district.sibling_village`` (南山村), one in ``district.far_group`` (麻丘社区一组).
- ``campaign``: open over the whole district since two days ago, for a week more.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from dualtrack.areas.models import Cadre, CadreOrigin, Duty, Household, LiaisonAssignment, Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core.models import User
from dualtrack.health.models import Campaign
from dualtrack.health.tests.screening.factories import home, open_campaign


@dataclass
class Homes:
    first: Household  # 艾溪村一组
    second: Household  # 艾溪村一组
    sibling: Household  # 南山村
    far: Household  # 麻丘社区一组


@pytest.fixture
def prevention(working_group_staff) -> User:
    return working_group_staff(Duty.PREVENTION, "prevention")


@pytest.fixture
def volunteer(district, personas) -> User:
    user = User.objects.create_user(username="volunteer", password="x" * 12)
    role_grant_create(
        actor=personas.district_admin, user=user, role=Role.VOLUNTEER, area=district.village
    )
    return user


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
def homes(district, personas) -> Homes:
    admin = personas.district_admin
    return Homes(
        first=home(actor=admin, area=district.group, names=("张三", "李四")),
        second=home(actor=admin, area=district.group, names=("王五", "赵六")),
        sibling=home(actor=admin, area=district.sibling_village),
        far=home(actor=admin, area=district.far_group),
    )


@pytest.fixture
def campaign(district, homes, prevention) -> Campaign:
    return open_campaign(actor=prevention, areas=[district.root])
