"""Health's figures for the command board and the daily briefing (core.platform)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext

from dualtrack.core.models import User
from dualtrack.core.platform import Figure
from dualtrack.health.access.cases import may_see_any_cases
from dualtrack.health.selectors.cases import daily_counts_for


def cases_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """Confirmed cases to date and new cases reported on ``day``, in the user's sight (none for
    a user who sees no area)."""
    if not may_see_any_cases(user):
        return []
    counts = daily_counts_for(user=user, day=day)
    link = reverse("health_case_list")
    return [
        Figure(
            key="health.cases_confirmed",
            label=gettext("Confirmed cases to date"),
            value=sum(c.confirmed for c in counts),
            link=link,
        ),
        Figure(
            key="health.new_cases",
            label=gettext("New cases reported"),
            value=sum(c.new for c in counts),
            link=link,
        ),
        Figure(
            key="health.active_cases",
            label=gettext("Active cases"),
            value=sum(c.active for c in counts),
            link=link,
        ),
    ]


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """Health's figures within the user's sight on ``day``."""
    return [*cases_figures(user=user, day=day)]
