"""The working-day calendar of time limits: plain calculation, no ORM.

A day is a working day when it is a weekday and not a holiday, or when it is a weekend day
worked instead (调休). A request accepted on a working day before the offices close is counted
from that day; one filed at night, on a weekend or on a holiday is accepted at once (24小时受理) and
counted from the next working day. The time limit of N working days ends on the N-th working
day counted from that first one.

The limit pauses while a request waits for more documents (needs more): the working days after
the day it paused, up to and including the day the documents arrive, are not counted, so the
working days left when it paused are still left after that day. A request that paused when it
was already past its due day stays past it."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

MAX_DAYS = 3660  # no calendar has ten years without a working day


@dataclass(frozen=True)
class Calendar:
    holidays: Collection[datetime.date] = field(default_factory=frozenset)
    workdays: Collection[datetime.date] = field(default_factory=frozenset)
    opens: datetime.time = datetime.time(9, 0)
    closes: datetime.time = datetime.time(17, 0)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day after ``day``."""
        for offset in range(1, MAX_DAYS):
            candidate = day + datetime.timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("no working day in ten years")

    def counted_from(self, moment: datetime.datetime) -> datetime.date:
        """The first day counted for a request accepted at ``moment`` (local time)."""
        day = moment.date()
        if self.is_working_day(day) and moment.time() < self.closes:
            return day
        return self.next_working_day(day)

    def due_on(self, first: datetime.date, working_days: int) -> datetime.date:
        """The last day of a limit of ``working_days`` counted from ``first`` (a working day)."""
        if working_days < 1:
            raise ValueError("a time limit is one working day or more")
        day = first if self.is_working_day(first) else self.next_working_day(first)
        for _ in range(working_days - 1):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, first: datetime.date, last: datetime.date) -> int:
        """Working days from ``first`` to ``last``, both counted (0 when ``last`` is earlier)."""
        count = 0
        day = first
        while day <= last and count < MAX_DAYS:
            if self.is_working_day(day):
                count += 1
            day += datetime.timedelta(days=1)
        return count

    def add_working_days(self, day: datetime.date, working_days: int) -> datetime.date:
        """The ``working_days``-th working day after ``day`` (``day`` itself when 0)."""
        for _ in range(working_days):
            day = self.next_working_day(day)
        return day

    def working_days_left(self, paused_on: datetime.date, due: datetime.date) -> int:
        """Working days of the limit still to run for a request paused on ``paused_on``: those
        after that day up to the due day (0 when it paused on or after its due day)."""
        return self.working_days_between(paused_on + datetime.timedelta(days=1), due)

    def resumed(
        self, due: datetime.date, paused_on: datetime.date, resumed_on: datetime.date
    ) -> tuple[datetime.date, int]:
        """The due day after a pause from ``paused_on`` to ``resumed_on``, and the working days
        the pause lasted (those after ``paused_on`` up to ``resumed_on``). The due day moves by
        them unless the request was already past it when it paused."""
        paused = self.working_days_between(paused_on + datetime.timedelta(days=1), resumed_on)
        if paused_on > due:
            return due, paused
        return self.add_working_days(due, paused), paused
