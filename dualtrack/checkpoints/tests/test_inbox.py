"""The checkpoints' items in the shared inbox: the open alerts the user answers for (the liaison
cadre and the gate's person in charge at once, the town once escalated, as urgent), with who it
is about; nothing for those who do not answer for them, nothing once handled."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dualtrack.checkpoints.models import Alert, AlertOutcome
from dualtrack.checkpoints.services.alerts import alert_handle
from dualtrack.core.platform import inbox_for

pytestmark = pytest.mark.django_db


def _items(user):
    return [item for item in inbox_for(user) if item.key.startswith("checkpoints.")]


def test_the_liaison_finds_a_fresh_alert_with_who_it_is_about(register, personas):
    alert = register(name="高烧者", temperature=Decimal("38.6")).alert
    (item,) = _items(personas.village_cadre)
    assert item.key == f"checkpoints.alert:{alert.pk}"
    assert item.kind == "卡点发现发热"
    assert item.title == "高烧者"
    assert item.detail.startswith("艾溪村东口 · 艾溪村 · 38.6 °C")
    assert item.url == reverse("alert_list")
    assert not item.urgent
    # The town answers only once the alert is escalated; the gate's staff never.
    assert _items(personas.town_officer) == []
    assert _items(personas.checkpoint_staff) == []
    assert _items(personas.outsider) == []


def test_an_escalated_alert_is_urgent_and_reaches_the_town(register, personas, risk_area):
    alert = register(name="湖北来人", origin_code="420102").alert
    Alert.objects.filter(pk=alert.pk).update(
        raised_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    for user in (personas.village_cadre, personas.town_officer):
        (item,) = _items(user)
        assert item.urgent and item.title == "湖北来人"
        assert item.kind == "卡点发现中高风险地区来人"


def test_a_handled_alert_leaves_the_inbox(register, personas, as_user):
    alert = register(name="高烧者", temperature=Decimal("38.6")).alert
    body = as_user("village_cadre").get(reverse("inbox")).content.decode()
    assert f'data-inbox="checkpoints.alert:{alert.pk}"' in body and "高烧者" in body
    alert_handle(
        actor=personas.village_cadre, alert=alert, outcome=AlertOutcome.FEVER_CLINIC, note=""
    )
    assert _items(personas.village_cadre) == []
