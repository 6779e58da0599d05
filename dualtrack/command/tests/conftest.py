from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dualtrack.areas.models import OrgUnit, OrgUnitKind
from dualtrack.command.services.directives import directive_issue


@pytest.fixture
def hq(district):
    return OrgUnit.objects.create(kind=OrgUnitKind.COMMAND_HQ, name="指挥部", area=district.root)


@pytest.fixture
def town_command(district, hq):
    return OrgUnit.objects.create(
        kind=OrgUnitKind.TOWN_COMMAND, name="昌东镇指挥所", area=district.town, parent=hq
    )


def in_hours(hours: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


@pytest.fixture
def directive(personas, district, hq, town_command):
    """HQ's directive to 昌东镇, due in two days."""
    return directive_issue(
        actor=personas.commander,
        title="检查卡点十个一",
        body="逐个卡点核查",
        done_when="所有卡点配齐十个一",
        deadline=in_hours(48),
        area_ids=[district.town.pk],
    )
