"""Reads of the alerts: the list, the inbox of those who answer for them, one alert."""

from __future__ import annotations

import datetime

from django.db.models import Q

from dualtrack.areas.models import Area
from dualtrack.checkpoints.access import (
    alerts_answered_q,
    checkpoint_abilities,
    escalation_cutoff,
    visible_checkpoints_q,
)
from dualtrack.checkpoints.models import Alert, Checkpoint
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.selectors import MAX_PAGE_SIZE, page_size


def alert_list_for(
    *,
    user: User,
    status: str = "open",
    escalated: bool | None = None,
    town_id: int | None = None,
    checkpoint_id: int | None = None,
    now: datetime.datetime | None = None,
    limit: int = MAX_PAGE_SIZE,
) -> list[Alert]:
    """Alerts at checkpoints where the user may handle alerts (or see them), newest first."""
    qs = Alert.objects.filter(
        checkpoint__in=Checkpoint.objects.filter(visible_checkpoints_q(user))
    ).select_related("checkpoint__area", "passage", "handled_by")
    if status == "open":
        qs = qs.filter(handled_at__isnull=True)
    elif status == "handled":
        qs = qs.filter(handled_at__isnull=False)
    if escalated is not None:
        cutoff = escalation_cutoff(now)
        late = Q(handled_at__isnull=True, raised_at__lt=cutoff)
        qs = qs.filter(late if escalated else ~late)
    if town_id is not None:
        town = Area.objects.filter(pk=town_id).first()
        if town is None:
            return []
        qs = qs.filter(checkpoint__area__code__startswith=town.code)
    if checkpoint_id is not None:
        qs = qs.filter(checkpoint_id=checkpoint_id)
    return list(qs.order_by("-raised_at", "-id")[: page_size(limit)])


def alert_inbox_for(*, user: User, now: datetime.datetime | None = None) -> list[Alert]:
    """Open alerts the user answers for (``access.alerts_answered_q``), newest first."""
    answered = alerts_answered_q(user, now=now)
    if answered is None:
        return []
    return list(
        Alert.objects.filter(answered, handled_at__isnull=True)
        .select_related("checkpoint__area", "passage")
        .order_by("-raised_at", "-id")[:MAX_PAGE_SIZE]
    )


def alert_inbox_count_for(*, user: User, now: datetime.datetime | None = None) -> int:
    """How many alerts ``alert_inbox_for`` lists, counted by the database."""
    answered = alerts_answered_q(user, now=now)
    if answered is None:
        return 0
    return Alert.objects.filter(answered, handled_at__isnull=True)[:MAX_PAGE_SIZE].count()


def alert_get_for(*, user: User, alert_id: int) -> Alert:
    """One alert at a checkpoint the user can see, or NotFound."""
    alert = Alert.objects.select_related("checkpoint__area", "passage").filter(pk=alert_id).first()
    if alert is None or not checkpoint_abilities(user, alert.checkpoint).see:
        raise NotFound()
    return alert
