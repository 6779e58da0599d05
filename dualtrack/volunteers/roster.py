"""The duty roster's arithmetic, without the database: overlaps, minutes served, gaps."""

from __future__ import annotations

import datetime

# A checkpoint's shift with no duty of its own needs this many people.
DEFAULT_SHIFT_NEEDED = 2


def overlaps(
    start: datetime.datetime,
    end: datetime.datetime,
    other_start: datetime.datetime,
    other_end: datetime.datetime,
) -> bool:
    """Half-open intervals [start, end) overlap: a duty ending at 8:00 and one starting at 8:00
    do not."""
    return start < other_end and other_start < end


def duty_minutes(start: datetime.datetime, end: datetime.datetime) -> int:
    return int((end - start).total_seconds() // 60)


def is_short(*, needed: int, people: int) -> bool:
    """A duty is a gap when fewer people are on it than it needs."""
    return people < needed


def person_key(kind: str, pk: int, cadre_id: int | None = None) -> str:
    """One person's key across the kinds: a party member who is a cadre is that cadre."""
    if kind == "cadre":
        return f"c{pk}"
    if kind == "party_member":
        return f"c{cadre_id}" if cadre_id else f"m{pk}"
    return f"v{pk}"
