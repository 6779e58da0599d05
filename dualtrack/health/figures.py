"""Health's figures for the command board and the daily briefing (core.platform)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dualtrack.areas.scoping import scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import Figure
from dualtrack.health.selectors.alerts import health_alerts_open_at


def alerts_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """The health alerts in the user's sight still open at the end of ``day`` (now, for today);
    none for a user who sees no area."""
    if not scope_for(user).codes():
        return []
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    moment = min(end, timezone.now())
    return [
        Figure(
            key="health.open_alerts",
            label=gettext("Open health alerts"),
            value=health_alerts_open_at(user=user, moment=moment),
            link=reverse("health_alert_list"),
        )
    ]


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """Health's figures within the user's sight on ``day``."""
    return [*alerts_figures(user=user, day=day)]
