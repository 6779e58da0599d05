"""The front line's panel of the wall screen (core.platform.Panel): people and volunteers on
duty on the day and the duties short of people, under the board's area — the figures of the
front line's own page (``figures.town_figures``), summed over the towns under it."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area
from dualtrack.checkpoints.access import gates_sight
from dualtrack.core.models import User
from dualtrack.core.platform import Panel
from dualtrack.volunteers.figures import town_figures


def duty_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """On duty (of whom volunteers) and gaps on ``day`` in the towns under ``area``."""
    towns = town_figures(user=user, day=day, under=area)
    if not towns:
        return None
    return {
        "items": [
            {
                "label": gettext("People on duty"),
                "value": sum(t.on_duty for t in towns),
                "unit": "",
            },
            {
                "label": gettext("Volunteers on duty"),
                "value": sum(t.volunteers_on_duty for t in towns),
                "unit": "",
            },
            {
                "label": gettext("Duties short of people"),
                "value": sum(t.gaps for t in towns),
                "unit": "",
            },
        ]
    }


PANELS = (
    Panel(
        key="volunteers.duty",
        title=_("Front line on duty today"),
        track="prevention",
        chart="figures",
        data=duty_panel,
        order=80,
        sight=gates_sight,  # the gaps count the shifts of the gates in sight
    ),
)
