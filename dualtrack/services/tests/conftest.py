"""Fixtures of the government services' tests: a district department with its clerk, a town's
department with its own, a matter, a counter and an enterprise login."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import PASSWORD
from dualtrack.areas.models import Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core.models import User
from dualtrack.enterprises.models import EnterpriseMember
from dualtrack.enterprises.tests.conftest import CODES, make_enterprise
from dualtrack.services.models import Counter, Department, Matter

from . import factories


@dataclass
class Desk:
    department: Department  # the district's 区人社局
    clerk: User  # on its staff, a services clerk over the district
    other_department: Department  # 麻丘镇's own
    other_clerk: User
    matter: Matter  # 失业保险金申领: 身份证, 申请表; every channel; 5 working days
    counter: Counter


def _user(name: str) -> User:
    return User.objects.create_user(username=name, password=PASSWORD, display_name=name)


@pytest.fixture
def desk(personas, district) -> Desk:
    admin = personas.district_admin
    clerk = _user("clerk")
    other_clerk = _user("other_clerk")
    role_grant_create(actor=admin, user=clerk, role=Role.SERVICE_CLERK, area=district.root)
    role_grant_create(
        actor=admin, user=other_clerk, role=Role.SERVICE_CLERK, area=district.other_town
    )
    dept = factories.department(admin, district.root, staff=[clerk])
    other = factories.department(
        admin, district.other_town, name="麻丘镇便民中心", staff=[other_clerk]
    )
    matter = factories.matter(admin, dept)
    counter = factories.counter(admin, dept)
    return Desk(dept, clerk, other, other_clerk, matter, counter)


@pytest.fixture
def ent_user(personas, district) -> User:
    enterprise = make_enterprise(personas.district_admin, district.town, CODES[0], "昌东电子")
    user = _user("ent")
    EnterpriseMember.objects.create(user=user, enterprise=enterprise)
    return user
