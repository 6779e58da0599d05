"""``{{ minutes|minutes_as_duration }}``: a length of time as people say it, in its two largest
units ("13 天 11 小时", "2 小时 5 分钟", "7 分钟"), not a count of thousands of minutes."""

from __future__ import annotations

from django import template
from django.utils.translation import ngettext

register = template.Library()


def _days(n: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def _hours(n: int) -> str:
    return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}


def _minutes(n: int) -> str:
    return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}


@register.filter
def minutes_as_duration(value: int | float | None) -> str:
    """Whole minutes as days and hours, hours and minutes, or minutes."""
    if value is None:
        return ""
    total = max(0, int(value))
    days, rest = divmod(total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{_days(days)} {_hours(hours)}" if hours else _days(days)
    if hours:
        return f"{_hours(hours)} {_minutes(minutes)}" if minutes else _hours(hours)
    return _minutes(minutes)
