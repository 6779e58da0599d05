"""What the checkpoints put in the shared inbox (core.platform): the open alerts the user answers
for (``access.alerts_answered_q``: at the gates they are in charge of, in the villages they are
the liaison cadre of, and, once escalated, in the towns they serve). An escalated alert is
urgent. Who an alert is about is shown only to those who may handle it, as on the alert list."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.checkpoints.access import checkpoint_abilities
from dualtrack.checkpoints.models import Alert
from dualtrack.checkpoints.selectors.alerts import alert_inbox_for
from dualtrack.core.models import User
from dualtrack.core.platform import InboxItem


def _kind(alert: Alert) -> str:
    if alert.fever and alert.risk_area:
        return _("Fever, and arrival from a risk area, at a checkpoint")
    if alert.fever:
        return _("Fever at a checkpoint")
    return _("Arrival from a risk area at a checkpoint")


def open_alerts_inbox(user: User) -> list[InboxItem]:
    """The open alerts the user answers for, one inbox item each; none for anyone else."""
    now = timezone.now()
    url = reverse("alert_list")
    items = []
    for alert in alert_inbox_for(user=user, now=now):
        shown = checkpoint_abilities(user, alert.checkpoint).see_alert_person
        passage = alert.passage
        facts = [alert.checkpoint.name, alert.checkpoint.area.name]
        if shown and passage.temperature is not None:
            facts.append(f"{passage.temperature} °C")
        if shown and passage.origin_name:
            facts.append(passage.origin_name)
        items.append(
            InboxItem(
                key=f"checkpoints.alert:{alert.pk}",
                kind=_kind(alert),
                title=passage.name
                if shown
                else _("Who it is about is shown to those who handle the alert."),
                detail=" · ".join(facts),
                raised_at=alert.raised_at,
                url=url,
                urgent=alert.is_escalated(now),
            )
        )
    return items
