"""Raising and handling a health alert: raised for the village's liaison cadre, handled once with
its outcome (audited); bad input, a second handling, a role that may not handle it and an alert
out of sight are refused with a clear Chinese message, and nothing is written."""

from __future__ import annotations

import pytest
from django.utils import translation

from dualtrack.areas.models import Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditEntry, User
from dualtrack.health.models import AlertOutcome, HealthAlert
from dualtrack.health.services.alerts import alert_handle

pytestmark = pytest.mark.django_db


def _audit(alert: HealthAlert):
    return AuditEntry.objects.filter(
        target_type__app_label="health", target_type__model="healthalert", target_id=str(alert.pk)
    )


def _entries(alert: HealthAlert) -> int:
    return _audit(alert).count()


def test_an_alert_is_raised_for_the_liaison_of_the_village_above_its_group(alert, liaison):
    assert alert.liaison == liaison
    assert alert.handled_at is None and alert.outcome == ""


def test_the_liaison_handles_it_once_and_it_is_audited(alert, personas):
    handled = alert_handle(
        actor=personas.village_cadre, alert=alert, outcome=AlertOutcome.CLEARED, note=" 复测正常 "
    )
    handled.refresh_from_db()
    assert handled.outcome == AlertOutcome.CLEARED
    assert handled.note == "复测正常"
    assert handled.handled_by == personas.village_cadre
    assert handled.handled_at >= handled.raised_at
    entry = _audit(alert).get(action="update")
    assert entry.actor == personas.village_cadre
    assert entry.changes["outcome"] == ["", "cleared"]
    assert entry.note == "复测正常"
    assert entry.area_code == alert.area.code


@pytest.mark.parametrize(
    ("outcome", "note", "field", "message"),
    [
        ("released", "", "outcome", "请选择处置结果。"),
        ("", "", "outcome", "请选择处置结果。"),
        (AlertOutcome.HOSPITAL, "长" * 301, "note", "最多 300 个字符。"),
        (AlertOutcome.HOSPITAL, "a\x00b", "note", None),
    ],
)
def test_bad_input_is_refused_in_chinese_and_writes_nothing(
    alert, personas, outcome, note, field, message
):
    before = _entries(alert)
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        alert_handle(actor=personas.village_cadre, alert=alert, outcome=outcome, note=note)
    assert caught.value.errors[0]["field"] == field
    if message:
        assert caught.value.errors[0]["message"] == message
    alert.refresh_from_db()
    assert alert.handled_at is None and alert.outcome == "" and alert.note == ""
    assert _entries(alert) == before


def test_a_second_handling_is_a_conflict_and_changes_nothing(alert, personas):
    alert_handle(actor=personas.village_cadre, alert=alert, outcome=AlertOutcome.HOSPITAL)
    before = _entries(alert)
    with translation.override("zh-hans"), pytest.raises(Conflict) as caught:
        alert_handle(actor=personas.town_officer, alert=alert, outcome=AlertOutcome.CLEARED)
    assert caught.value.status == 409
    assert str(caught.value.message) == "该预警已处置。"
    alert.refresh_from_db()
    assert alert.outcome == AlertOutcome.HOSPITAL and alert.handled_by == personas.village_cadre
    assert _entries(alert) == before


def test_a_role_that_only_views_may_not_handle_it(alert, personas, district):
    volunteer = User.objects.create_user(username="volunteer", password="x" * 12)
    role_grant_create(
        actor=personas.district_admin, user=volunteer, role=Role.VOLUNTEER, area=district.village
    )
    for user in (volunteer, personas.checkpoint_staff):
        with pytest.raises(PermissionDenied):
            alert_handle(actor=user, alert=alert, outcome=AlertOutcome.CLEARED)
    alert.refresh_from_db()
    assert alert.handled_at is None


def test_an_alert_out_of_sight_is_not_found(alert, personas, far_cadre):
    for user in (far_cadre, personas.outsider):
        with pytest.raises(NotFound):
            alert_handle(actor=user, alert=alert, outcome=AlertOutcome.CLEARED)
    alert.refresh_from_db()
    assert alert.handled_at is None
