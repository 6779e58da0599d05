"""Health's figures for the command board and the daily briefing (core.platform)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext

from dualtrack.core.models import User
from dualtrack.core.platform import Figure
from dualtrack.health.selectors.screening import campaign_list_for, coverage_for


def screening_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """The coverage of the newest campaign running on ``day`` in the user's sight: households
    visited and residents covered, in per cent, from the maintained counters."""
    campaign = campaign_list_for(user=user).filter(starts_on__lte=day, ends_on__gte=day).first()
    if campaign is None:
        return []
    total = coverage_for(user=user, campaign=campaign).total
    link = reverse("health_screening_campaign", args=[campaign.pk])
    return [
        Figure(
            key="health.households_visited",
            label=gettext("Households visited (%)"),
            value=total.households_percent,
            unit="%",
            link=link,
        ),
        Figure(
            key="health.residents_covered",
            label=gettext("Residents covered (%)"),
            value=total.residents_percent,
            unit="%",
            link=link,
        ),
    ]


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """Health's figures within the user's sight on ``day``."""
    return [*screening_figures(user=user, day=day)]
