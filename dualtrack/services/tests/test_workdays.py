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
