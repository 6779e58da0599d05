"""Health's figures for the command board and the daily briefing (core.platform)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dualtrack.areas.scoping import scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import Figure
from dualtrack.health.access.cases import may_see_any_cases
from dualtrack.health.access.quarantine import may_see_any
from dualtrack.health.selectors import quarantine as quarantine_selectors
from dualtrack.health.selectors.alerts import health_alerts_open_at
from dualtrack.health.selectors.cases import daily_totals_for
from dualtrack.health.selectors.quarantine_slots import slot_deadline
from dualtrack.health.selectors.screening import campaign_list_for, coverage_totals_for


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


def cases_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """Confirmed cases to date and new cases reported on ``day``, in the user's sight (none for
    a user who sees no area)."""
    if not may_see_any_cases(user):
        return []
    counts = daily_totals_for(user=user, day=day)
    link = reverse("health_case_list")
    return [
        Figure(
            key="health.cases_confirmed",
            label=gettext("Confirmed cases to date"),
            value=counts["confirmed"],
            link=link,
        ),
        Figure(
            key="health.new_cases",
            label=gettext("New cases reported"),
            value=counts["new"],
            link=link,
        ),
        Figure(
            key="health.active_cases",
            label=gettext("Active cases"),
            value=counts["active"],
            link=link,
        ),
    ]


def screening_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """The coverage of the newest campaign running on ``day`` in the user's sight: households
    visited and residents covered, in per cent, from the maintained counters."""
    campaign = campaign_list_for(user=user).filter(starts_on__lte=day, ends_on__gte=day).first()
    if campaign is None:
        return []
    total = coverage_totals_for(user=user, campaign=campaign)
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
    return [
        *screening_figures(user=user, day=day),
        *alerts_figures(user=user, day=day),
        *quarantine_figures(user=user, day=day),
        *cases_figures(user=user, day=day),
    ]


def quarantine_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """People under quarantine on ``day``, those with a check missed (by the end of ``day``,
    or by now if it is today), and the places taken at the centralised sites; none for a user
    who sees no quarantine."""
    if not may_see_any(user):
        return []
    now = min(timezone.now(), slot_deadline(day, "pm") + datetime.timedelta(hours=4))
    occupied, capacity = quarantine_selectors.site_places_in_sight(user=user, day=day)
    link = reverse("quarantine_order_list")
    figures = [
        Figure(
            key="health.under_quarantine",
            label=gettext("People under quarantine"),
            value=quarantine_selectors.active_count_in_sight(user=user, on=day),
            link=link,
        ),
        Figure(
            key="health.missed_checks",
            label=gettext("People with a missed quarantine check"),
            value=quarantine_selectors.missed_count_in_sight(user=user, now=now),
            link=link + "?missed=on&status=active",
        ),
    ]
    if capacity:
        figures.append(
            Figure(
                key="health.site_occupancy",
                label=gettext("Places taken at quarantine sites"),
                value=occupied,
                unit=f"/ {capacity}",
                link=reverse("quarantine_site_list"),
            )
        )
    return figures
