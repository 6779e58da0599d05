"""Fixtures of the quarantine tests.

- ``site_staff``: a quarantine site's staff (SITE_STAFF grant on 昌东镇), on the staff of ``site``.
- ``idle_site_staff``: the same grant, on the staff of no site.
- ``prevention``: the prevention working group's staff (district-wide, manages quarantine).
- ``site``: 昌东镇集中隔离点 in 昌东镇, 3 places; ``far_site``: 麻丘镇集中隔离点, in the other town.
- ``home_order``: a home order of 艾溪村 (the village cadre's), placed by the cadre.
- ``site_order``: an order of 南山村 (a sibling village) at ``site``, placed by the town officer.
- ``far_order``: a home order of 麻丘社区 (the other town), placed by the district admin.
- ``liaison``: the village cadre persona's Cadre, liaison of 艾溪村.
"""

from __future__ import annotations

import datetime

import pytest

from conftest import PASSWORD
from dualtrack.areas.models import Cadre, CadreOrigin, Duty, LiaisonAssignment, Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core.models import User
from dualtrack.health.services.quarantine_sites import site_staff_set
from dualtrack.health.tests.quarantine.factories import make_order, make_site


def _granted(admin: User, username: str, role: str, area) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    role_grant_create(actor=admin, user=user, role=role, area=area)
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
def site(district, personas):
    return make_site(actor=personas.district_admin, area=district.town, name="昌东镇集中隔离点")


@pytest.fixture
def far_site(district, personas):
    return make_site(
        actor=personas.district_admin, area=district.other_town, name="麻丘镇集中隔离点"
    )


@pytest.fixture
def site_staff(district, personas, site) -> User:
    user = _granted(personas.district_admin, "sitestaff", Role.SITE_STAFF, district.town)
    site_staff_set(actor=personas.district_admin, site=site, users=[user])
    return user


@pytest.fixture
def idle_site_staff(district, personas) -> User:
    return _granted(personas.district_admin, "idlestaff", Role.SITE_STAFF, district.town)


@pytest.fixture
def prevention(working_group_staff) -> User:
    return working_group_staff(Duty.PREVENTION, "prevention")


@pytest.fixture
def home_order(district, personas, liaison):
    return make_order(actor=personas.village_cadre, area=district.village, name="张家")


@pytest.fixture
def site_order(district, personas, site):
    return make_order(
        actor=personas.town_officer,
        area=district.sibling_village,
        kind="site",
        site=site,
        room="101",
        name="李家",
    )


@pytest.fixture
def far_order(district, personas):
    return make_order(actor=personas.district_admin, area=district.far_village, name="远方")
