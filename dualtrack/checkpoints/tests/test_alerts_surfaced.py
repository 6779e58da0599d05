"""Open alerts are surfaced where people look: a count in the menu and on the home page for those
who may handle them, the town officer's inbox once an alert is escalated to the town, the figures'
"open" counting alerts raised on earlier days, and a long open time in days and hours."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dualtrack.checkpoints.figures import figures_for
from dualtrack.checkpoints.models import Alert
from dualtrack.checkpoints.selectors.alerts import alert_inbox_for
from dualtrack.core.templatetags.durations import minutes_as_duration

pytestmark = pytest.mark.django_db


def _age(alert: Alert, minutes: int) -> None:
    Alert.objects.filter(pk=alert.pk).update(
        raised_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


@pytest.fixture
def five_open(register) -> list[Alert]:
    """Five open alerts: three raised days ago (escalated), two just now."""
    alerts = [register(name=f"发热{n}", temperature=Decimal("38.5")).alert for n in range(5)]
    for alert in alerts[:3]:
        _age(alert, 3 * 24 * 60)
    return alerts


def test_the_town_officers_inbox_holds_the_escalated_alerts_of_the_town(
    as_user, personas, five_open
):
    """The town officer is nobody's person in charge nor a liaison: before, "我的待办" read 0."""
    inbox = alert_inbox_for(user=personas.town_officer)
    assert {alert.pk for alert in inbox} == {alert.pk for alert in five_open[:3]}
    body = as_user("town_officer").get(reverse("alert_list")).content.decode()
    section = body.split('id="inbox"')[1].split("</section>")[0]
    assert "发热0" in section and "发热3" not in section


def test_the_inbox_of_another_town_stays_empty(personas, five_open):
    assert alert_inbox_for(user=personas.outsider) == []


def test_the_menu_badge_counts_the_open_alerts_and_the_escalated(as_user, five_open):
    page = as_user("town_officer").get(reverse("profile")).content.decode()
    assert f'hx-get="{reverse("waiting")}"' in page  # every page's menu loads the badges
    badges = as_user("town_officer").get(reverse("waiting")).content.decode()
    assert 'data-waiting-count="alerts">5<' in badges
    assert "3 条已升级" in badges
    assert f'href="{reverse("alert_list")}"' in badges


@pytest.mark.parametrize("persona", ["checkpoint_staff", "outsider"])
def test_no_alert_badge_for_those_who_handle_no_alerts(as_user, persona, five_open):
    badges = as_user(persona).get(reverse("waiting")).content.decode()
    assert 'data-waiting="alerts"' not in badges


def test_the_home_page_shows_the_open_alerts(as_user, five_open):
    home = as_user("town_officer").get(reverse("home")).content.decode()
    section = home.split('id="waiting-for-me"')[1].split("</section>")[0]
    assert 'data-waiting-count="alerts">5<' in section
    assert "未处置预警" in section


def test_the_figures_count_every_open_alert_not_only_todays(as_user, five_open, personas):
    assert figures_for(user=personas.town_officer).alerts_open == 5
    body = as_user("town_officer").get(reverse("checkpoint_figures")).content.decode()
    assert body.split('data-figure="alerts_open">')[1].split("<")[0] == "5"


def test_the_figures_of_a_past_day_count_what_was_open_at_its_end(personas, five_open):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    figures = figures_for(user=personas.town_officer, day=yesterday)
    assert figures.alerts_open == 3  # the two of today were not raised yet


def test_a_long_open_time_reads_in_days_and_hours(as_user, register):
    alert = register(name="久未处置", temperature=Decimal("38.5")).alert
    _age(alert, 19425)
    body = as_user("town_officer").get(reverse("alert_list")).content.decode()
    assert "已持续 13 天 11 小时" in body
    assert "19425" not in body.replace('data-duration="19425"', "")


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 分钟"),
        (7, "7 分钟"),
        (60, "1 小时"),
        (125, "2 小时 5 分钟"),
        (1440, "1 天"),
        (19425, "13 天 11 小时"),
    ],
)
def test_durations_in_chinese(minutes, text):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert minutes_as_duration(minutes) == text
