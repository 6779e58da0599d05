"""The supplies' panel of the wall screen (core.platform.Panel): days of cover per item over the
holders in sight, from the maintained balances and one grouped sum of the week's consumption
(the ledger's cover index)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area
from dualtrack.areas.scoping import scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import Panel
from dualtrack.supplies.access import holders_visible_q
from dualtrack.supplies.figures import COVER_WINDOW_DAYS, days_of_cover
from dualtrack.supplies.models import Balance, Entry, EntryKind, Holder, Item


def cover_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """Per item: the stock of every holder in sight under ``area`` divided by their average
    daily consumption over the last week (transfers between them move stock, not use it); no
    figure for an item nobody used (no end in sight)."""
    if not scope_for(user).codes():
        return None
    holders = Holder.objects.filter(holders_visible_q(user), area__code__startswith=area.code)
    stock = dict(
        Balance.objects.filter(holder__in=holders)
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )
    since = day - datetime.timedelta(days=COVER_WINDOW_DAYS - 1)
    used = dict(
        Entry.objects.filter(
            holder__in=holders,
            kind=EntryKind.CONSUMPTION,
            occurred_on__gte=since,
            occurred_on__lte=day,
        )
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )
    items = list(Item.objects.filter(pk__in={*stock, *used}).order_by("name"))
    if not items:
        return None
    return {
        "x": [item.name for item in items],
        "series": [
            {
                "name": gettext("Days of cover"),
                "values": [
                    days_of_cover(int(stock.get(item.pk) or 0), -int(used.get(item.pk) or 0))
                    for item in items
                ],
            }
        ],
        "unit": gettext("days"),
        "horizontal": True,
    }


PANELS = (
    Panel(
        key="supplies.cover",
        title=_("Supplies: days of cover"),
        track="production",
        chart="bar",
        data=cover_panel,
        order=60,
    ),
)
