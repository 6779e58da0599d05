"""Fixtures of the health alerts' tests.

- ``liaison``: the village cadre persona's Cadre, liaison of ``district.village`` (艾溪村).
- ``far_cadre``: a village cadre of ``district.far_village`` (麻丘社区, another town), its liaison.
- ``alert``: a fever found in screening in ``district.group`` (a group of 艾溪村), for ``liaison``.
- ``make_alert(**changes)``: ``HealthAlertFactory`` with those changes.
- ``age(alert, minutes)``: the alert raised that many minutes ago (escalation is derived from it).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dualtrack.areas.models import Cadre, CadreOrigin, Role
from dualtrack.areas.services.organisation import cadre_create, liaison_assign, role_grant_create
from dualtrack.core.models import User
from dualtrack.health.models import HealthAlert
from dualtrack.health.tests.alerts.factories import HealthAlertFactory

SINCE = datetime.date(2020, 1, 27)


@pytest.fixture
def liaison(district, personas) -> Cadre:
    cadre = cadre_create(
        actor=personas.district_admin,
        name="李挂点",
        origin=CadreOrigin.DISTRICT_ORGAN,
        area=district.village,
        user=personas.village_cadre,
    )
    liaison_assign(actor=personas.district_admin, cadre=cadre, area=district.village, since=SINCE)
    return cadre


@pytest.fixture
def far_cadre(district, personas) -> User:
    user = User.objects.create_user(username="far_cadre", password="x" * 12)
    role_grant_create(
        actor=personas.district_admin, user=user, role=Role.VILLAGE_CADRE, area=district.far_village
    )
    cadre = cadre_create(
        actor=personas.district_admin,
        name="王挂点",
        origin=CadreOrigin.TOWN_VILLAGE,
        area=district.far_village,
        user=user,
    )
    liaison_assign(
        actor=personas.district_admin, cadre=cadre, area=district.far_village, since=SINCE
    )
    return user


@pytest.fixture
def make_alert(district, liaison):
    def make(**changes) -> HealthAlert:
        changes.setdefault("area", district.group)
        return HealthAlertFactory.create(**changes)

    return make


@pytest.fixture
def alert(make_alert) -> HealthAlert:
    return make_alert(name="张发热")


@pytest.fixture
def age():
    def make_older(alert: HealthAlert, minutes: int) -> HealthAlert:
        HealthAlert.objects.filter(pk=alert.pk).update(
            raised_at=timezone.now() - datetime.timedelta(minutes=minutes)
        )
        alert.refresh_from_db()
        return alert

    return make_older
