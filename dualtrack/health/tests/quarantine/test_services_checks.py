"""The twice-daily checks: recorded by a cadre or the site's staff or through the personal link;
refused outside the period, twice for a slot, before its time or for a closed order; missed
checks derived at read time; a fever raises an alert."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dualtrack.core.errors import Conflict, NotFound, ValidationFailed
from dualtrack.health.models import AlertKind, HealthAlert, QuarantineCheck, QuarantineOrder
from dualtrack.health.selectors.quarantine import missed_flagged_for, order_missed
from dualtrack.health.selectors.quarantine_slots import Slot, missed_by_order
from dualtrack.health.services.quarantine_changes import order_end_early, order_link_revoke
from dualtrack.health.services.quarantine_checks import (
    LinkNotLive,
    check_record,
    check_self_report,
)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def record(personas, home_order, today):
    """``check_record`` by the village's cadre on the home order today, 36.5 °C at 8:00 (the
    morning slot), each of which a test can change."""

    def call(
        *,
        actor=None,
        order=None,
        day=None,
        period="am",
        temperature="36.5",
        now=None,
    ) -> QuarantineCheck:
        return check_record(
            actor=actor or personas.village_cadre,
            order=order or home_order,
            day=day or today,
            period=period,
            temperature=temperature,
            now=now or at(day or today, 8),
        )

    return call


def _placed_at_midnight(order: QuarantineOrder, day: datetime.date) -> QuarantineOrder:
    """Tests set the clock: the order counts as placed at the start of ``day``."""
    QuarantineOrder.objects.filter(pk=order.pk).update(created_at=at(day, 0), starts_on=day)
    order.refresh_from_db()
    return order


def test_a_cadre_records_both_slots_of_a_day(personas, home_order, record, today):
    for period, hour in (("am", 9), ("pm", 15)):
        check = record(period=period, temperature="36.6", now=at(today, hour))
        assert check.recorded_by == personas.village_cadre and not check.self_reported
    assert home_order.checks.count() == 2
    assert not HealthAlert.objects.exists()


def test_a_check_outside_the_orders_period_is_refused(home_order, record):
    for day in (
        home_order.starts_on - datetime.timedelta(days=1),
        home_order.ends_on + datetime.timedelta(days=1),
    ):
        with pytest.raises(ValidationFailed) as exc:
            record(day=day, now=at(home_order.ends_on + datetime.timedelta(days=2), 9))
        assert exc.value.code == "outside_period"
        assert "之外" in str(exc.value.message)
    assert not QuarantineCheck.objects.exists()


def test_a_slot_checked_twice_or_before_its_time_is_refused(home_order, record, today):
    record()
    with pytest.raises(Conflict) as exc:
        record(temperature="36.4", now=at(today, 9))
    assert exc.value.code == "slot_checked"
    with pytest.raises(ValidationFailed) as exc:
        record(period="pm", temperature="36.4", now=at(today, 10))
    assert exc.value.code == "slot_not_open"
    assert home_order.checks.count() == 1


def test_a_closed_order_takes_no_check(personas, home_order, record):
    order_end_early(actor=personas.village_cadre, order=home_order, reason="身份有误")
    with pytest.raises(Conflict) as exc:
        record()
    assert exc.value.code == "order_closed"


def test_site_staff_record_at_their_site_only(site_staff, site_order, home_order, record):
    record(actor=site_staff, order=site_order)
    with pytest.raises(NotFound):
        record(actor=site_staff, order=home_order)


def test_a_fever_or_symptom_raises_an_alert(home_order, liaison, record, today):
    check = record(temperature="37.8")
    assert check.is_fever
    alert = HealthAlert.objects.get()
    assert (alert.kind, alert.order, alert.liaison) == (AlertKind.CHECK_FEVER, home_order, liaison)
    check_self_report(
        token=home_order.check_token, temperature="36.8", symptoms="咳嗽", now=at(today, 14)
    )
    assert HealthAlert.objects.filter(kind=AlertKind.CHECK_SYMPTOMS).count() == 1


def test_the_personal_link_checks_the_slot_of_the_moment(home_order, today):
    morning = check_self_report(
        token=home_order.check_token, temperature=Decimal("36.5"), now=at(today, 7)
    )
    afternoon = check_self_report(
        token=home_order.check_token, temperature="36.6", now=at(today, 13)
    )
    assert (morning.period, afternoon.period) == ("am", "pm")
    assert morning.self_reported and morning.recorded_by is None
    with pytest.raises(Conflict):
        check_self_report(token=home_order.check_token, temperature="36.6", now=at(today, 16))


def test_a_revoked_link_is_refused(personas, home_order, today):
    token = home_order.check_token
    order_link_revoke(actor=personas.village_cadre, order=home_order, reason="泄露")
    with pytest.raises(LinkNotLive):
        check_self_report(token=token, temperature="36.5", now=at(today, 8))
    with pytest.raises(LinkNotLive):
        check_self_report(token="nonsense", temperature="36.5", now=at(today, 8))
    assert not QuarantineCheck.objects.exists()


def test_a_temperature_no_body_has_is_refused(record):
    with pytest.raises(ValidationFailed) as exc:
        record(temperature="48")
    assert exc.value.errors[0]["field"] == "temperature"


def test_missed_checks_are_derived_when_read(
    personas, home_order, site_order, site_staff, record, today
):
    yesterday = today - datetime.timedelta(days=1)
    order = _placed_at_midnight(home_order, yesterday)
    _placed_at_midnight(site_order, today)
    record(order=order, day=yesterday, now=at(yesterday, 9))
    now = at(today, 13)
    assert order_missed(order=order, now=now) == [
        Slot(yesterday, "pm"),
        Slot(today, "am"),
    ]
    flagged = missed_by_order(QuarantineOrder.objects.all(), now=now)
    assert flagged == {
        order.pk: [Slot(yesterday, "pm"), Slot(today, "am")],
        site_order.pk: [Slot(today, "am")],
    }
    # The cadre answers for their village's order, the site's staff for the site's.
    cadre = missed_flagged_for(user=personas.village_cadre, now=now)
    assert [o.pk for o, _slots in cadre] == [order.pk]
    staff = missed_flagged_for(user=site_staff, now=now)
    assert [o.pk for o, _slots in staff] == [site_order.pk]
    assert missed_flagged_for(user=personas.commander, now=now) == []
    # Before the morning's deadline nothing of today is missed yet.
    assert order_missed(order=order, now=at(today, 11)) == [Slot(yesterday, "pm")]
