"""Command's panel of the wall screen (core.platform.Panel): the parts of directives answered for
under the board's area that are past their deadline and not finished — the briefing's figure
(``figures.board_figures``), for the district or one town."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area
from dualtrack.command import access, selectors
from dualtrack.command.figures import end_of
from dualtrack.core.models import User
from dualtrack.core.platform import Panel, grants_alone


def overdue_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """Directives overdue at the end of ``day`` (now, for today) under ``area``."""
    if not access.codes_for(user):
        return None
    overdue = selectors.overdue_count(user=user, at=end_of(day), under=area)
    return {"items": [{"label": gettext("Directives overdue"), "value": overdue, "unit": ""}]}


PANELS = (
    Panel(
        key="command.overdue",
        title=_("Directives overdue"),
        track="production",
        chart="figures",
        data=overdue_panel,
        order=90,
        sight=grants_alone,
    ),
)
