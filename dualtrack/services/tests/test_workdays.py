"""The working-day calendar: nights, weekends and holidays push the first counted day on."""

from __future__ import annotations

import datetime

from dualtrack.services.workdays import Calendar

FRIDAY = datetime.date(2020, 2, 28)
MONDAY = datetime.date(2020, 3, 2)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour))


def test_a_request_filed_in_office_hours_counts_from_that_day():
    assert Calendar().counted_from(at(FRIDAY, 10)) == FRIDAY


def test_a_request_filed_at_night_counts_from_the_next_working_day():
    assert Calendar().counted_from(at(FRIDAY, 22)) == MONDAY


def test_a_request_filed_on_a_weekend_counts_from_monday():
    assert Calendar().counted_from(at(FRIDAY + datetime.timedelta(days=1), 11)) == MONDAY


def test_holidays_are_skipped_and_a_worked_weekend_day_counts():
    holiday = Calendar(holidays={MONDAY})
    assert holiday.counted_from(at(FRIDAY, 22)) == MONDAY + datetime.timedelta(days=1)
    worked = Calendar(workdays={FRIDAY + datetime.timedelta(days=1)})
    assert worked.counted_from(at(FRIDAY, 22)) == FRIDAY + datetime.timedelta(days=1)


def test_the_limit_ends_on_the_nth_working_day():
    cal = Calendar(holidays={MONDAY + datetime.timedelta(days=2)})
    # Mon 1, Tue 2, (Wed off), Thu 3, Fri 4, Mon 5
    assert cal.due_on(MONDAY, 5) == MONDAY + datetime.timedelta(days=7)
    assert cal.due_on(MONDAY, 1) == MONDAY
    assert cal.working_days_between(MONDAY, MONDAY + datetime.timedelta(days=7)) == 5


def day(n: int) -> datetime.date:
    """``day(0)`` is Monday 2 March 2020, ``day(4)`` that Friday, ``day(7)`` the next Monday."""
    return MONDAY + datetime.timedelta(days=n)


def test_a_pause_over_a_weekend_and_a_holiday_counts_only_working_days():
    cal = Calendar(holidays={day(7)})
    due = cal.due_on(day(0), 5)  # Mon 2 .. Fri 6
    assert due == day(4)
    # Paused on Thursday: Friday is left. Documents arrive Tuesday after the weekend and
    # the Monday holiday: Friday and Tuesday were paused, so Friday's one day is Wednesday.
    assert cal.working_days_left(day(3), due) == 1
    assert cal.resumed(due, day(3), day(8)) == (day(9), 2)
    # Documents arriving on the Saturday pause only Friday: Monday is a holiday, so Tuesday.
    assert cal.resumed(due, day(3), day(5)) == (day(8), 1)
    # Paused and resumed the same day: nothing moves.
    assert cal.resumed(due, day(3), day(3)) == (due, 0)


def test_two_pauses_add_up_and_a_late_pause_does_not_rescue_an_overdue_request():
    cal = Calendar()
    due = cal.due_on(day(0), 3)  # Wednesday
    due, first = cal.resumed(due, day(0), day(1))  # Tuesday paused: Thursday
    # Paused on Wednesday with Thursday left; Thursday and Friday paused: Monday.
    due, second = cal.resumed(due, day(2), day(4))
    assert (due, first + second) == (day(7), 3)
    # Paused on its last day, documents the next Monday: due that Monday (0 days left).
    assert cal.working_days_left(day(4), day(4)) == 0
    assert cal.resumed(day(4), day(4), day(7)) == (day(7), 1)
    # Paused after its due day: it stays overdue, the pause still counted.
    assert cal.resumed(day(1), day(3), day(7)) == (day(1), 2)
