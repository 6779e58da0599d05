"""What the alerts plug into the platform: the board's ``health.open_alerts`` within the user's
sight (and for a past day, the alerts open at its end), the audit history of an alert read in
its town only, the registered inbox source and waiting count."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dualtrack.core import platform
from dualtrack.health.models import AlertOutcome, HealthAlert
from dualtrack.health.services.alerts import alert_handle

pytestmark = pytest.mark.django_db


def _figure(user, day=None):
    figures = {f.key: f for f in platform.figures_for(user=user, day=day or timezone.localdate())}
    return figures.get("health.open_alerts")


def test_the_board_counts_the_open_alerts_in_sight(personas, make_alert, district, far_cadre):
    make_alert()
    make_alert(area=district.far_group)
    done = make_alert()
    alert_handle(actor=personas.village_cadre, alert=done, outcome=AlertOutcome.CLEARED)
    assert _figure(personas.district_admin).value == 2
    assert _figure(personas.town_officer).value == 1
    assert _figure(personas.village_cadre).value == 1
    assert _figure(far_cadre).value == 1
    figure = _figure(personas.town_officer)
    assert figure.label == "未处置防疫预警" and figure.link == reverse("health_alert_list")
    assert _figure(personas.outsider) is None


def test_a_past_days_figure_is_what_was_open_at_its_end(personas, make_alert):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    noon = datetime.datetime.combine(
        yesterday, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    handled_today = make_alert()
    alert_handle(actor=personas.village_cadre, alert=handled_today, outcome="cleared")
    HealthAlert.objects.filter(pk=handled_today.pk).update(raised_at=noon)
    handled_yesterday = make_alert()
    HealthAlert.objects.filter(pk=handled_yesterday.pk).update(
        raised_at=noon, handled_at=noon + datetime.timedelta(hours=1), outcome="cleared"
    )
    make_alert()  # raised today: not open at yesterday's end
    assert _figure(personas.town_officer, yesterday).value == 1
    assert _figure(personas.town_officer).value == 1


def test_an_alerts_history_is_read_in_its_town_only(client, personas, alert, far_cadre):
    alert_handle(actor=personas.village_cadre, alert=alert, outcome="hospital", note="120")
    url = reverse("audit_history", args=["health", "healthalert", alert.pk])
    client.force_login(personas.town_officer)
    assert client.get(url).status_code == 200
    api = client.get(f"/api/areas/audit/health/healthalert/{alert.pk}").json()
    assert [e["action"] for e in api["entries"]] == ["update", "create"]
    for user in (far_cadre, personas.checkpoint_staff):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_alerts_are_registered_with_the_platform():
    (health,) = [c for c in platform.contributions() if c.label == "health"]
    assert health.inbox and health.waiting
    assert platform.audit_scope_for(HealthAlert) is not None
