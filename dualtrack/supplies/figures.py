"""The figures of supplies: days of cover, low stock and the counts of the home page.

Derived at read time from the maintained balances and the window's use entries; every figure
that takes a user is within what the user may see (``access``).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import Figure
from dualtrack.supplies.access import holders_visible_q, require_holder
from dualtrack.supplies.models import (
    Balance,
    Entry,
    EntryKind,
    Holder,
    Item,
    RequestStatus,
    SupplyRequest,
)

COVER_WINDOW_DAYS = 7


@dataclass(frozen=True)
class Cover:
    holder_id: int
    holder_name: str
    item_id: int
    item_name: str
    unit: str
    balance: int
    consumed_7d: int
    days: float | None  # None: stock on hand and none used in the window, so no end in sight

    @property
    def daily(self) -> float:
        return self.consumed_7d / COVER_WINDOW_DAYS

    @property
    def is_low(self) -> bool:
        return self.days is not None and self.days < settings.LOW_STOCK_DAYS

    @property
    def days_display(self) -> str:
        return "∞" if self.days is None else f"{self.days:.1f}"


# What takes goods off a holder's shelves: used on the spot, or sent on to another holder.
USE_KINDS = (EntryKind.CONSUMPTION, EntryKind.TRANSFER_OUT)


def days_of_cover(balance: int, consumed: int, window: int = COVER_WINDOW_DAYS) -> float | None:
    """Balance divided by the average daily use over the window. An empty shelf covers no day,
    whatever was used; stock with no use in the window has no end in sight (None)."""
    if balance <= 0:
        return 0.0
    if consumed <= 0:
        return None
    return math.floor(balance / (consumed / window) * 10) / 10


def cover_for(
    *,
    holders: QuerySet[Holder] | list[Holder],
    today: datetime.date | None = None,
    as_of: datetime.date | None = None,
) -> list[Cover]:
    """Days of cover for every holder×item that has a balance or was used in the last 7 days.

    Use is consumption and transfers out: a store that sends its stock on runs out as surely as
    a gate that wears it. Derived at read time from the maintained balances and one grouped sum
    over the window's use entries (index holder, item, kind, date): always current, no job to
    schedule.

    ``as_of`` a past day: the cover at that day's 24:00, the balances summed from the ledger's
    lines dated up to it (the maintained balances are today's) and the use of the 7 days ending
    on it — what the 24:00 snapshot of that day freezes.
    """
    if as_of is not None and as_of < timezone.localdate():
        return _cover_as_of(holders, as_of)
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=COVER_WINDOW_DAYS - 1)
    holder_ids = [h.pk for h in holders] if isinstance(holders, list) else None
    holder_filter = (
        {"holder_id__in": holder_ids} if holder_ids is not None else {"holder__in": holders}
    )
    used = {
        (row["holder_id"], row["item_id"]): -row["total"]
        for row in Entry.objects.filter(
            kind__in=USE_KINDS,
            occurred_on__gte=since,
            occurred_on__lte=today,
            **holder_filter,
        )
        .values("holder_id", "item_id")
        .annotate(total=Sum("quantity"))
    }
    # The balances as tuples with the names shown: a district's thousand balances made into
    # rows with their holder and item each cost more than the query.
    balances = {
        (holder_id, item_id): (quantity, holder_name, item_name, unit)
        for holder_id, item_id, quantity, holder_name, item_name, unit in Balance.objects.filter(
            **holder_filter
        ).values_list(
            "holder_id", "item_id", "quantity", "holder__name", "item__name", "item__unit"
        )
    }
    keys = set(used) | set(balances)
    missing = keys - set(balances)
    if missing:
        holder_names = dict(
            Holder.objects.filter(pk__in={k[0] for k in missing}).values_list("pk", "name")
        )
        items = {i.pk: i for i in Item.objects.filter(pk__in={k[1] for k in missing})}
        for key in missing:
            item = items[key[1]]
            balances[key] = (0, holder_names[key[0]], item.name, item.unit)
    result = []
    for key in keys:
        quantity, holder_name, item_name, unit = balances[key]
        consumed = used.get(key, 0)
        result.append(
            Cover(
                holder_id=key[0],
                holder_name=holder_name,
                item_id=key[1],
                item_name=item_name,
                unit=unit,
                balance=quantity,
                consumed_7d=consumed,
                days=days_of_cover(quantity, consumed),
            )
        )
    result.sort(key=lambda c: (c.days if c.days is not None else math.inf, c.holder_name))
    return result


def _cover_as_of(holders: QuerySet[Holder] | list[Holder], day: datetime.date) -> list[Cover]:
    since = day - datetime.timedelta(days=COVER_WINDOW_DAYS - 1)
    holder_filter = (
        {"holder_id__in": [h.pk for h in holders]}
        if isinstance(holders, list)
        else {"holder__in": holders}
    )
    rows = (
        Entry.objects.filter(occurred_on__lte=day, **holder_filter)
        .values("holder_id", "item_id")
        .annotate(
            stock=Sum("quantity"),
            used=Sum(
                "quantity",
                filter=Q(kind__in=USE_KINDS, occurred_on__gte=since),
            ),
        )
    )
    figures = {(r["holder_id"], r["item_id"]): (r["stock"] or 0, -(r["used"] or 0)) for r in rows}
    # A holder×item that had nothing and used nothing by then is not on the shelves yet.
    figures = {key: value for key, value in figures.items() if value[0] or value[1]}
    holder_names = dict(
        Holder.objects.filter(pk__in={k[0] for k in figures}).values_list("pk", "name")
    )
    items = {i.pk: i for i in Item.objects.filter(pk__in={k[1] for k in figures})}
    result = [
        Cover(
            holder_id=holder_id,
            holder_name=holder_names[holder_id],
            item_id=item_id,
            item_name=items[item_id].name,
            unit=items[item_id].unit,
            balance=balance,
            consumed_7d=consumed,
            days=days_of_cover(balance, consumed),
        )
        for (holder_id, item_id), (balance, consumed) in figures.items()
    ]
    result.sort(key=lambda c: (c.days if c.days is not None else math.inf, c.holder_name))
    return result


def low_stock_for(*, user: User, holder: Holder | None = None) -> list[Cover]:
    """Holder×items below settings.LOW_STOCK_DAYS days of cover: one holder's, or every holder
    the user sees (the supplies group sees the district's)."""
    if holder is not None:
        require_holder(user=user, holder=holder, permission=Permission.VIEW)
        return [c for c in cover_for(holders=[holder]) if c.is_low]
    holders = Holder.objects.filter(holders_visible_q(user))
    return [c for c in cover_for(holders=holders) if c.is_low]


def pending_request_count(*, user: User) -> int:
    return SupplyRequest.objects.filter(
        holders_visible_q(user, prefix="holder__"), status=RequestStatus.PENDING
    ).count()


def balances_for(*, user: User, holder: Holder) -> list[Cover]:
    """A visible holder's stock of every item it has or used, with days of cover."""
    require_holder(user=user, holder=holder, permission=Permission.VIEW)
    return sorted(cover_for(holders=[holder]), key=lambda c: c.item_name)


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """The holders in the user's sight with an item below the low-stock line, and the fewest
    days of cover of any item over them all (its stock over its use in the week): today's from
    the maintained balances, a past day's from the ledger as of its 24:00 (what the snapshot of
    that day freezes). None for a day to come."""
    if day > timezone.localdate() or not scope_for(user).codes():
        return []
    holders = Holder.objects.filter(holders_visible_q(user))
    covers = cover_for(holders=holders, as_of=day)
    low = {c.holder_id for c in covers if c.is_low}
    stock: dict[int, int] = {}
    used: dict[int, int] = {}
    for c in covers:
        stock[c.item_id] = stock.get(c.item_id, 0) + c.balance
        used[c.item_id] = used.get(c.item_id, 0) + c.consumed_7d
    days = [d for d in (days_of_cover(stock[i], used[i]) for i in stock) if d is not None]
    link = reverse("supplies_index")
    figures = [
        Figure(
            key="supplies.low_stock_holders",
            label=gettext("Holders low on stock"),
            value=len(low),
            link=link,
        )
    ]
    if days:
        figures.append(
            Figure(
                key="supplies.fewest_days_of_cover",
                label=gettext("Fewest days of cover of any item"),
                value=min(days),
                unit=gettext("days"),
                link=link,
            )
        )
    return figures
