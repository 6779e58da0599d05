"""The supplies' panel of the wall screen (core.platform.Panel): days of cover per item over the
holders in sight, from the maintained balances and the week's consumption (the ledger's cover
index), both grouped sums in one statement."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BigIntegerField, Sum, Value
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualtrack.areas.models import Area
from dualtrack.areas.scoping import scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import Panel
from dualtrack.supplies.access import holders_sight, holders_visible_q
from dualtrack.supplies.figures import COVER_WINDOW_DAYS, days_of_cover
from dualtrack.supplies.models import Balance, Entry, EntryKind, Holder


def cover_panel(*, user: User, area: Area, day: datetime.date) -> dict[str, Any] | None:
    """Per item: the stock of every holder in sight under ``area`` divided by their average
    daily consumption over the last week (transfers between them move stock, not use it); no
    figure for an item nobody used (no end in sight)."""
    if not scope_for(user).codes():
        return None
    holders = Holder.objects.filter(holders_visible_q(user), area__code__startswith=area.code)
    none = Value(0, output_field=BigIntegerField())
    in_stock = (
        Balance.objects.filter(holder__in=holders)
        .values("item_id", "item__name")
        .annotate(stock=Sum("quantity"), used=none)
        .order_by()
    )
    since = day - datetime.timedelta(days=COVER_WINDOW_DAYS - 1)
    consumed = (
        Entry.objects.filter(
            holder__in=holders,
            kind=EntryKind.CONSUMPTION,
            occurred_on__gte=since,
            occurred_on__lte=day,
        )
        .values("item_id", "item__name")
        .annotate(stock=none, used=Sum("quantity"))
        .order_by()
    )
    # Per item, by name: its name, the stock and the week's use (negative, as the ledger books it).
    items: dict[int, list[Any]] = {}
    for row in in_stock.union(consumed, all=True).order_by("item__name", "item_id"):
        item = items.setdefault(row["item_id"], [row["item__name"], 0, 0])
        item[1] += int(row["stock"] or 0)
        item[2] += int(row["used"] or 0)
    if not items:
        return None
    return {
        "x": [name for name, _stock, _used in items.values()],
        "series": [
            {
                "name": gettext("Days of cover"),
                "values": [days_of_cover(stock, -used) for _name, stock, used in items.values()],
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
        sight=holders_sight,
    ),
)
