"""Reads of the health alerts: the list in sight, the ones the user answers for (the inbox), one
alert, the towns a filter offers, and the open ones a user may handle (the menu's count)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet

from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.selectors import area_options_for
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.selectors import MAX_PAGE_SIZE, page_size
from dualtrack.health.access.alerts import (
    escalation_cutoff,
    health_alert_permissions,
    health_alerts_answered_q,
    health_alerts_handled_q,
    health_alerts_visible_q,
)
from dualtrack.health.models import HealthAlert

STATUSES = ("open", "handled", "all")


def health_alert_list_for(
    *,
    user: User,
    status: str = "open",
    town_id: int | None = None,
    limit: int = MAX_PAGE_SIZE,
) -> list[HealthAlert]:
    """The alerts in the user's sight, newest first; ``status`` open, handled or all; a town
    out of sight, or none, lists nothing."""
    qs = HealthAlert.objects.filter(health_alerts_visible_q(user)).select_related(
        "area", "handled_by"
    )
    if status == "open":
        qs = qs.filter(handled_at__isnull=True)
    elif status == "handled":
        qs = qs.filter(handled_at__isnull=False)
    if town_id is not None:
        town = Area.objects.filter(pk=town_id, kind=AreaKind.TOWN).only("code").first()
        if town is None:
            return []
        qs = qs.filter(area__code__startswith=town.code)
    return list(qs.order_by("-raised_at", "-id")[: page_size(limit)])


def health_alert_inbox_for(
    *, user: User, now: datetime.datetime | None = None
) -> list[HealthAlert]:
    """The open alerts the user answers for (``access.health_alerts_answered_q``), newest first."""
    answered = health_alerts_answered_q(user, now=now)
    if answered is None:
        return []
    return list(
        HealthAlert.objects.filter(answered, handled_at__isnull=True)
        .select_related("area")
        .order_by("-raised_at", "-id")[:MAX_PAGE_SIZE]
    )


def health_alert_get_for(*, user: User, alert_id: int) -> HealthAlert:
    """One alert in the user's sight, or NotFound (the same for one that does not exist)."""
    alert = (
        HealthAlert.objects.select_related("area", "handled_by", "liaison")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None or not health_alert_permissions(user, alert).see:
        raise NotFound()
    return alert


def health_alert_town_options_for(*, user: User) -> QuerySet[Area]:
    """The towns the list's filter offers: those the user can see."""
    return area_options_for(user=user).filter(kind=AreaKind.TOWN)


def health_alerts_open_counts(
    *, user: User, now: datetime.datetime | None = None
) -> tuple[int, int]:
    """How many alerts the user may handle are open, and how many of those are escalated."""
    counts = HealthAlert.objects.filter(
        health_alerts_handled_q(user), handled_at__isnull=True
    ).aggregate(
        open=Count("id"), escalated=Count("id", filter=Q(raised_at__lt=escalation_cutoff(now)))
    )
    return counts["open"], counts["escalated"]


def health_alerts_open_at(*, user: User, moment: datetime.datetime) -> int:
    """How many alerts in the user's sight were open at ``moment`` (raised before it, handled
    after it or not yet)."""
    return HealthAlert.objects.filter(
        Q(handled_at__isnull=True) | Q(handled_at__gt=moment),
        health_alerts_visible_q(user),
        raised_at__lte=moment,
    ).count()
