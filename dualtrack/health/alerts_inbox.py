"""What the health alerts put before a user (core.platform): one item in the shared inbox per
open alert they answer for (``access.alerts.health_alerts_answered_q``; escalated = urgent), and
the menu's count of the open alerts they may handle."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualtrack.core.models import User
from dualtrack.core.platform import InboxItem, Waiting
from dualtrack.health.access.alerts import (
    health_alert_permissions,
    is_escalated,
    may_handle_any_health_alerts,
)
from dualtrack.health.models import HealthAlert
from dualtrack.health.selectors.alerts import health_alert_inbox_for, health_alerts_open_counts


def alert_summary(alert: HealthAlert, *, see_person: bool) -> str:
    """Where, what was found and the proposed quarantine, in one line (what was found only for
    those who may see whom it is about)."""
    facts = [alert.area.name]
    if see_person and alert.detail:
        facts.append(alert.detail)
    if alert.proposed:
        facts.append(_("proposed: %(kind)s") % {"kind": alert.get_proposed_display()})
    return " · ".join(facts)


def health_alerts_inbox(user: User) -> list[InboxItem]:
    """The open alerts the user answers for, one inbox item each; none for anyone else."""
    now = timezone.now()
    items = []
    for alert in health_alert_inbox_for(user=user, now=now):
        shown = health_alert_permissions(user, alert).see_person
        items.append(
            InboxItem(
                key=f"health.alert:{alert.pk}",
                kind=capfirst(alert.get_kind_display()),
                title=alert.name
                if shown
                else _("Who it is about is shown to those who handle the alert."),
                detail=alert_summary(alert, see_person=shown),
                raised_at=alert.raised_at,
                url=reverse("health_alert_detail", args=[alert.pk]),
                urgent=is_escalated(alert, now),
            )
        )
    return items


def health_alerts_waiting(user: User) -> Waiting | None:
    """The open alerts the user may handle, and how many are escalated; None for a user who may
    handle none."""
    if not may_handle_any_health_alerts(user):
        return None
    count, escalated = health_alerts_open_counts(user=user)
    return Waiting(
        key="health_alerts",
        label=_("Health alerts"),
        count=count,
        url=reverse("health_alert_list"),
        urgent=escalated,
        urgent_label=ngettext("%(n)d escalated", "%(n)d escalated", escalated) % {"n": escalated},
    )
