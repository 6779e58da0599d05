"""Command's own figure of a day: the parts of directives in the user's sight overdue at its end
(now, for today)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.command import access, selectors
from dualtrack.core.models import User
from dualtrack.core.platform import Figure


def end_of(day: datetime.date) -> datetime.datetime:
    """The end of ``day`` (24:00), or now while the day is not over."""
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )
    return min(end, timezone.now())


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    if not access.codes_for(user):
        return []
    return [
        Figure(
            key="command.directives_overdue",
            label=_("Directives overdue"),
            value=selectors.overdue_count(user=user, at=end_of(day)),
            link=reverse("command_directives") + "?box=overdue",
        )
    ]
