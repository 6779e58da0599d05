"""Placing orders and every change after it: reasons, OrderChange rows, audit entries, the
site's places; and the refusals that write nothing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dualtrack.areas.selectors import resident_get_for
from dualtrack.areas.tests.factories import make_household, make_id_number, make_resident
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditAction, AuditEntry
from dualtrack.health.models import (
    AlertKind,
    AlertOutcome,
    HealthAlert,
    OrderChange,
    OrderChangeKind,
    OrderStatus,
    QuarantineOrder,
    QuarantineSite,
)
from dualtrack.health.services.alerts import alert_raise
from dualtrack.health.services.quarantine_changes import (
    order_end_early,
    order_extend,
    order_link_revoke,
    order_move,
    order_release,
    order_to_hospital,
)
from dualtrack.health.tests.quarantine.factories import make_order


def _entries(obj):
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    )


def _counts():
    return (
        QuarantineOrder.objects.count(),
        OrderChange.objects.count(),
        AuditEntry.objects.count(),
        list(QuarantineSite.objects.order_by("pk").values_list("occupied", flat=True)),
    )


def test_an_order_ends_quarantine_days_after_the_last_exposure(district, personas, settings):
    settings.QUARANTINE_DAYS = 14
    exposure = timezone.localdate() - datetime.timedelta(days=3)
    order = make_order(actor=personas.village_cadre, area=district.village, last_exposure=exposure)
    assert order.ends_on == exposure + datetime.timedelta(days=14)
    assert order.starts_on == timezone.localdate()
    entry = _entries(order).get(action=AuditAction.CREATE)
    assert order.id_number not in str(entry.changes)
    assert order.check_token not in str(entry.changes)


def test_a_second_active_order_for_the_same_person_is_refused(district, personas):
    number = make_id_number()
    make_order(actor=personas.village_cadre, area=district.village, id_number=number)
    before = _counts()
    with pytest.raises(Conflict) as exc:
        make_order(actor=personas.town_officer, area=district.sibling_village, id_number=number)
    assert exc.value.code == "order_active"
    assert str(exc.value.message) == "此人已有一份有效的隔离令。"
    assert _counts() == before


def test_a_site_over_capacity_is_refused_and_nothing_written(district, personas, site):
    for _ in range(3):
        make_order(actor=personas.town_officer, area=district.village, kind="site", site=site)
    before = _counts()
    with pytest.raises(Conflict) as exc:
        make_order(actor=personas.town_officer, area=district.village, kind="site", site=site)
    assert exc.value.code == "site_full"
    assert "已满" in str(exc.value.message)
    assert _counts() == before
    site.refresh_from_db()
    assert site.occupied == 3


def test_a_person_outside_the_users_scope_is_not_found(district, personas):
    household = make_household(actor=personas.district_admin, area=district.far_group)
    resident = make_resident(actor=personas.district_admin, household=household)
    with pytest.raises(NotFound):
        resident_get_for(user=personas.village_cadre, resident_id=resident.pk)
    before = _counts()
    with pytest.raises(NotFound):
        make_order(actor=personas.village_cadre, area=district.far_village)
    with pytest.raises(PermissionDenied):
        make_order(actor=personas.commander, area=district.village)
    assert _counts() == before


def test_a_future_exposure_is_refused(district, personas):
    with pytest.raises(ValidationFailed) as exc:
        make_order(
            actor=personas.village_cadre,
            area=district.village,
            last_exposure=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert exc.value.errors[0]["field"] == "last_exposure"


def test_moving_takes_and_frees_places_in_one_go(district, personas, site, far_site, home_order):
    order = order_move(
        actor=personas.district_admin,
        order=home_order,
        kind="site",
        site=site,
        room="2",
        reason="家中不具备隔离条件",
    )
    site.refresh_from_db()
    assert (order.kind, order.site, site.occupied) == ("site", site, 1)
    order = order_move(
        actor=personas.district_admin, order=order, kind="site", site=far_site, reason="转点"
    )
    site.refresh_from_db()
    far_site.refresh_from_db()
    assert (site.occupied, far_site.occupied) == (0, 1)
    order = order_move(actor=personas.district_admin, order=order, kind="home", reason="返家")
    far_site.refresh_from_db()
    assert far_site.occupied == 0
    kinds = list(order.changes.values_list("kind", flat=True))
    assert kinds == [OrderChangeKind.MOVED] * 3
    assert (
        AuditEntry.objects.filter(target_id=str(order.pk), action=AuditAction.UPDATE).count() == 3
    )


def test_moving_to_a_full_site_changes_nothing(district, personas, site, home_order):
    for _ in range(3):
        make_order(actor=personas.town_officer, area=district.village, kind="site", site=site)
    before = _counts()
    with pytest.raises(Conflict):
        order_move(
            actor=personas.town_officer, order=home_order, kind="site", site=site, reason="x"
        )
    assert _counts() == before


def test_every_change_needs_a_reason(personas, home_order):
    for call in (
        lambda: order_extend(
            actor=personas.village_cadre,
            order=home_order,
            ends_on=home_order.ends_on + datetime.timedelta(days=3),
            reason=" ",
        ),
        lambda: order_end_early(actor=personas.village_cadre, order=home_order, reason=""),
    ):
        with pytest.raises(ValidationFailed) as exc:
            call()
        assert exc.value.errors[0]["field"] == "reason"
    assert not home_order.changes.exists()


def test_extend_end_early_and_hospital(district, personas, site, home_order, site_order):
    later = home_order.ends_on + datetime.timedelta(days=7)
    order = order_extend(
        actor=personas.village_cadre, order=home_order, ends_on=later, reason="核酸待复检"
    )
    assert order.ends_on == later
    with pytest.raises(ValidationFailed):
        order_extend(actor=personas.village_cadre, order=order, ends_on=later, reason="再延")
    order = order_end_early(actor=personas.village_cadre, order=order, reason="身份有误")
    assert order.status == OrderStatus.ENDED_EARLY and order.closed_at
    with pytest.raises(Conflict):
        order_end_early(actor=personas.village_cadre, order=order, reason="again")
    site.refresh_from_db()
    assert site.occupied == 1
    moved = order_to_hospital(
        actor=personas.town_officer, order=site_order, hospital="区人民医院", reason="发热"
    )
    site.refresh_from_db()
    assert moved.status == OrderStatus.HOSPITAL and site.occupied == 0
    assert moved.changes.get().detail == "区人民医院"


def test_release_only_from_the_last_day_on_with_a_notice_number(district, personas, site):
    early = make_order(actor=personas.town_officer, area=district.village, kind="site", site=site)
    with pytest.raises(ValidationFailed) as exc:
        order_release(actor=personas.town_officer, order=early, reason="期满")
    assert exc.value.code == "not_yet_due"
    due = make_order(
        actor=personas.town_officer,
        area=district.village,
        kind="site",
        site=site,
        last_exposure=timezone.localdate() - datetime.timedelta(days=20),
    )
    released = order_release(actor=personas.town_officer, order=due, reason="期满解除")
    assert released.status == OrderStatus.RELEASED
    assert released.notice_number == f"JG{timezone.localdate():%Y}-{due.pk:06d}"
    site.refresh_from_db()
    assert site.occupied == 1


def test_a_role_that_only_sees_cannot_change(personas, home_order, site_order, site_staff):
    with pytest.raises(PermissionDenied):
        order_end_early(actor=personas.commander, order=home_order, reason="x")
    with pytest.raises(PermissionDenied):
        order_end_early(actor=site_staff, order=site_order, reason="x")
    with pytest.raises(NotFound):
        order_end_early(actor=site_staff, order=home_order, reason="x")


def test_placing_from_an_alert_marks_it_handled(district, personas, liaison):
    alert = alert_raise(
        actor=None,
        kind=AlertKind.RISK_RETURN,
        area=district.village,
        name="赵六",
        proposed="home",
    )
    order = make_order(actor=personas.village_cadre, area=district.village, alert=alert)
    alert.refresh_from_db()
    assert alert.outcome == AlertOutcome.QUARANTINED
    assert alert.order == order and alert.handled_by == personas.village_cadre
    before = _counts()
    with pytest.raises(Conflict):
        make_order(actor=personas.village_cadre, area=district.village, alert=alert)
    assert _counts() == before
    assert HealthAlert.objects.get(pk=alert.pk).order == order


def test_the_personal_link_is_revoked_or_renewed(personas, home_order):
    old = home_order.check_token
    order = order_link_revoke(actor=personas.village_cadre, order=home_order, reason="手机丢失")
    assert order.check_token != old and order.check_token_revoked
    renewed = order_link_revoke(
        actor=personas.village_cadre, order=order, reason="补发", renew=True
    )
    assert not renewed.check_token_revoked
    assert renewed.check_token not in str(list(_entries(order).values_list("changes", flat=True)))
