"""Fixtures of the investment tests: the investment team, an enterprise login that is a
project's local company, and another enterprise's login."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from dualtrack.areas.models import Duty
from dualtrack.core.models import User
from dualtrack.enterprises.models import Enterprise, EnterpriseMember
from dualtrack.enterprises.tests.conftest import CODES, make_enterprise


@pytest.fixture
def team(working_group_staff) -> User:
    return working_group_staff(Duty.INVESTMENT, "wg_investment")


@pytest.fixture
def local_company(personas, district) -> Enterprise:
    return make_enterprise(personas.district_admin, district.town, CODES[0], "昌东电子")


def _login(name: str, enterprise: Enterprise) -> User:
    user = User.objects.create_user(username=name, password=PASSWORD, display_name=name)
    EnterpriseMember.objects.create(user=user, enterprise=enterprise)
    return user


@pytest.fixture
def local_login(local_company) -> User:
    return _login("local", local_company)


@pytest.fixture
def other_login(personas, district) -> User:
    other = make_enterprise(personas.district_admin, district.other_town, CODES[1], "麻丘机械")
    return _login("other_ent", other)
