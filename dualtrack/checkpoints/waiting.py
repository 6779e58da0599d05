"""What waits at the checkpoints for a user, for the home page and the menu (core.platform): the
open alerts they may handle, and how many of them are escalated."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualtrack.checkpoints.access import (
    Ability,
    checkpoints_q,
    escalation_cutoff,
    may_handle_any_alerts,
)
from dualtrack.checkpoints.models import Alert, Checkpoint
from dualtrack.core.models import User
from dualtrack.core.platform import Waiting


def open_alerts_waiting(user: User) -> Waiting | None:
    """The open alerts at every checkpoint where the user may handle alerts; None for a user
    who may handle none (a volunteer, a gate's staff, an enterprise's login)."""
    if not may_handle_any_alerts(user):
        return None
    handled_here = Checkpoint.objects.filter(checkpoints_q(user, Ability.HANDLE_ALERTS))
    counts = Alert.objects.filter(handled_at__isnull=True, checkpoint__in=handled_here).aggregate(
        open=Count("id"), escalated=Count("id", filter=Q(raised_at__lt=escalation_cutoff()))
    )
    escalated = counts["escalated"]
    return Waiting(
        key="alerts",
        label=_("Open alerts"),
        count=counts["open"],
        url=reverse("alert_list"),
        urgent=escalated,
        urgent_label=ngettext("%(n)d escalated", "%(n)d escalated", escalated) % {"n": escalated},
    )
