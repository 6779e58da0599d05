"""Fixtures of the enterprises tests: registered enterprises, an enterprise login, staff."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from conftest import PASSWORD
from dualtrack.areas.models import Duty
from dualtrack.core.models import User
from dualtrack.enterprises.models import (
    Enterprise,
    EnterpriseMember,
    EnterpriseSignup,
    IndustryDivision,
)
from dualtrack.enterprises.services.filings import FilingData
from dualtrack.enterprises.services.signups import signup_submit
from dualtrack.enterprises.tests.factories import EnterpriseFactory

# Valid unified social credit codes (GB 32100 check characters).
CODES = [
    "91360100MA35F6XX0A",
    "91360100MA38N6UW9P",
    "91360106MA35G0TQ80",
    "913601007055000001",
    "91360100MA35ABCD1R",
    "91360100MA35ABCD2W",
]


def make_enterprise(actor: User, town, code: str, name: str, **extra) -> Enterprise:
    division = IndustryDivision.objects.get(code=extra.pop("division", "39"))
    return EnterpriseFactory.create(
        actor=actor, town=town, credit_code=code, name=name, division=division, **extra
    )


def submit_signup(**overrides: Any) -> EnterpriseSignup:
    """The public sign-up of the enterprise CODES[0] as "newco", with ``overrides``."""
    values: dict[str, Any] = dict(
        credit_code=CODES[0],
        contact_name="李四",
        contact_phone="13900139000",
        username="newco",
        password=PASSWORD,
    )
    values.update(overrides)
    return signup_submit(**values)


@pytest.fixture
def enterprise(personas, district) -> Enterprise:
    """An enterprise of 昌东镇 (the town officer's town)."""
    return make_enterprise(personas.district_admin, district.town, CODES[0], "昌东电子")


@pytest.fixture
def far_enterprise(personas, district) -> Enterprise:
    """An enterprise of 麻丘镇, outside the town officer's scope."""
    return make_enterprise(personas.district_admin, district.other_town, CODES[1], "麻丘机械")


@pytest.fixture
def ent_user(enterprise) -> User:
    user = User.objects.create_user(username="ent", password=PASSWORD, display_name="ent")
    EnterpriseMember.objects.create(user=user, enterprise=enterprise)
    return user


@pytest.fixture
def wg_enterprise(working_group_staff) -> User:
    return working_group_staff(Duty.ENTERPRISE_SERVICES, "wg_enterprise")


@pytest.fixture
def supervisor(working_group_staff) -> User:
    return working_group_staff(Duty.SUPERVISION, "wg_supervision")


def filing_data(**overrides) -> FilingData:
    values: dict[str, Any] = dict(
        planned_date=timezone.localdate() + datetime.timedelta(days=1),
        workers_planned=80,
        masks_days=10,
        disinfectant_days=10,
        temperature_checks=True,
        disinfection_schedule="每日两次",
        canteen_measures="错峰就餐",
        dormitory_measures="",
        isolation_room=True,
        prevention_officer="王五",
        commitment_signer="张三",
    )
    values.update(overrides)
    return FilingData(**values)
