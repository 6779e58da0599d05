"""One inbox: a checkpoint's alert and a health alert for the same liaison cadre side by side on
``/inbox/`` and in ``GET /api/account/inbox``, the urgent first; the town gets a health alert
once it is escalated (or at once when the village has no liaison); the menu counts them; a
handled alert leaves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from dualtrack.areas.models import RoleGrant
from dualtrack.areas.services.organisation import role_grant_revoke
from dualtrack.checkpoints.services.passages import passage_register
from dualtrack.checkpoints.services.registry import checkpoint_create
from dualtrack.checkpoints.tests.conftest import make_input
from dualtrack.core.models import User
from dualtrack.core.platform import inbox_for, waiting_for
from dualtrack.health.models import AlertOutcome
from dualtrack.health.services.alerts import alert_handle

pytestmark = pytest.mark.django_db


@pytest.fixture
def gate_alert(district, personas, liaison):
    checkpoint = checkpoint_create(
        actor=personas.district_admin, area=district.village, name="艾溪村东口"
    )
    passage = passage_register(
        actor=personas.district_admin,
        checkpoint=checkpoint,
        data=make_input(name="卡点发热者", temperature=Decimal("38.6")),
    )
    return passage.alert


def _keys(user) -> list[str]:
    return [item.key for item in inbox_for(user)]


def test_the_liaisons_inbox_holds_both_apps_alerts_the_urgent_first(
    as_user, gate_alert, make_alert, age
):
    fresh = make_alert(name="新发热者")
    late = age(make_alert(name="久未处置者"), 40)
    client = as_user("village_cadre")
    body = client.get(reverse("inbox")).content.decode()
    assert body.index("久未处置者") < body.index("新发热者")
    assert body.index("久未处置者") < body.index("卡点发热者")
    for key in (f"health.alert:{late.pk}", f"health.alert:{fresh.pk}"):
        assert f'data-inbox="{key}"' in body
    assert f'data-inbox="checkpoints.alert:{gate_alert.pk}"' in body
    assert f'href="{reverse("health_alert_detail", args=[late.pk])}"' in body
    assert "建议：居家隔离" in body and "摸排发现发热" in body
    items = client.get("/api/account/inbox").json()
    assert items[0]["key"] == f"health.alert:{late.pk}" and items[0]["urgent"] is True
    assert {item["key"] for item in items[1:]} == {
        f"health.alert:{fresh.pk}",
        f"checkpoints.alert:{gate_alert.pk}",
    }
    assert not any(item["urgent"] for item in items[1:])


def test_the_town_answers_once_escalated_others_never(personas, alert, age, far_cadre):
    key = f"health.alert:{alert.pk}"
    assert key in _keys(personas.village_cadre)
    for user in (personas.town_officer, personas.district_admin, personas.commander, far_cadre):
        assert key not in _keys(user)
    age(alert, 31)
    assert key in _keys(personas.town_officer)
    (item,) = [i for i in inbox_for(personas.town_officer) if i.key == key]
    assert item.urgent and item.title == "张发热"
    for user in (personas.checkpoint_staff, personas.outsider, far_cadre, personas.commander):
        assert key not in _keys(user)


def test_an_alert_of_a_village_without_a_liaison_goes_to_the_town_at_once(
    personas, make_alert, district
):
    alert = make_alert(area=district.sibling_village, name="无挂点者")
    assert alert.liaison is None
    assert f"health.alert:{alert.pk}" in _keys(personas.town_officer)
    assert f"health.alert:{alert.pk}" not in _keys(personas.village_cadre)


def test_the_menu_counts_the_open_alerts_and_the_escalated(personas, make_alert, age, as_user):
    make_alert()
    age(make_alert(), 45)
    (count,) = [w for w in waiting_for(personas.town_officer) if w.key == "health_alerts"]
    assert (count.count, count.urgent) == (2, 1)
    assert count.url == reverse("health_alert_list")
    fragment = as_user("village_cadre").get(reverse("waiting")).content.decode()
    assert 'data-waiting-count="health_alerts">2<' in fragment
    assert "防疫预警" in fragment and "1 条已升级" in fragment
    assert not [w for w in waiting_for(personas.checkpoint_staff) if w.key == "health_alerts"]


def test_a_handled_alert_leaves_the_inbox(personas, alert):
    key = f"health.alert:{alert.pk}"
    assert key in _keys(personas.village_cadre)
    alert_handle(actor=personas.village_cadre, alert=alert, outcome=AlertOutcome.CLEARED)
    assert key not in _keys(personas.village_cadre)


def test_a_cadre_whose_grant_was_revoked_answers_for_nothing(personas, alert):
    for grant in RoleGrant.objects.filter(user=personas.village_cadre):
        role_grant_revoke(actor=personas.district_admin, grant=grant)
    assert inbox_for(User.objects.get(pk=personas.village_cadre.pk)) == []
