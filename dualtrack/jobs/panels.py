"""The employment services' panel of the wall screen (core.platform.Panel): hires day by day at
the enterprises in sight."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area
from dualtrack.areas.scoping import scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import Panel
from dualtrack.enterprises.access import enterprise_sight
from dualtrack.jobs import access

HIRE_DAYS = 14


def hires_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """Hires recorded per day over the last fortnight at the enterprises under ``area``."""
    if not scope_for(user).codes():
        return None
    since = day - datetime.timedelta(days=HIRE_DAYS - 1)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    counts = dict(
        access.applications_visible(user)
        .filter(
            hired_at__gte=start,
            hired_at__lt=end,
            enterprise__area__code__startswith=area.code,
        )
        .annotate(day=TruncDate("hired_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    axis = [since + datetime.timedelta(days=n) for n in range(HIRE_DAYS)]
    return {
        "x": [d.isoformat() for d in axis],
        "series": [{"name": gettext("Hires"), "values": [counts.get(d, 0) for d in axis]}],
    }


PANELS = (
    Panel(
        key="jobs.hires",
        title=_("Hires through the employment services"),
        track="production",
        chart="line",
        data=hires_panel,
        order=40,
        sight=enterprise_sight,
    ),
)
