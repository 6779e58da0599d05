"""Reads of supplies, always within what the user may see.

A holder tied to an area is seen by users whose scope covers that area (a checkpoint's holder
lies in its checkpoint's village), with the checkpoints' rule for a gate's staff: a
checkpoint_staff grant counts only for the holders of the gates the user is on the staff of, so
that a gate's staff do not read the stock and ledger of a gate that is 404 to them. An
enterprise's holder is also seen by the enterprise's own logins, who see nothing else.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone

from dualtrack.areas.models import Area, OrgUnit, Role
from dualtrack.areas.scoping import ROOT_CODE, Permission, scope_for
from dualtrack.checkpoints.access import checkpoint_permissions, visible_checkpoints_q
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.core.selectors import page_size
from dualtrack.enterprises.models import Enterprise
from dualtrack.enterprises.selectors import enterprise_get_for, enterprise_of_user
from dualtrack.supplies.models import (
    Balance,
    Entry,
    EntryKind,
    Holder,
    HolderKind,
    Item,
    RequestStatus,
    StocktakeAdjustment,
    SupplyRequest,
    Transfer,
    TransferStatus,
)

COVER_WINDOW_DAYS = 7


def _area_codes(user: User, permission: Permission) -> tuple[set[str], bool]:
    """The area codes where ``user`` holds ``permission`` through grants that cover every holder
    below them, and whether a checkpoint_staff grant holds it (at the staffed gates only)."""
    grants = scope_for(user).grants
    broad = {
        g.area_code
        for g in grants
        if g.role != Role.CHECKPOINT_STAFF and permission in g.permissions
    }
    gate = any(g.role == Role.CHECKPOINT_STAFF and permission in g.permissions for g in grants)
    return broad, gate


def _visible_q(user: User, permission: Permission = Permission.VIEW, prefix: str = "") -> Q:
    """Q on Holder (through ``prefix``) selecting the holders where ``user`` holds
    ``permission``: the one access rule of the app, for lists and for ids a write takes."""
    broad, gate = _area_codes(user, permission)
    if any(len(code) == len(ROOT_CODE) for code in broad):
        return Q()
    q = Q(pk__in=[])
    for code in broad:
        q |= Q(**{f"{prefix}area__code__startswith": code})
    if gate:
        staffed = Checkpoint.objects.filter(visible_checkpoints_q(user, permission)).values("pk")
        q |= Q(**{f"{prefix}checkpoint_id__in": staffed})
    enterprise = enterprise_of_user(user)
    if enterprise is not None and permission in (Permission.VIEW, Permission.KEEP_LEDGER):
        q |= Q(**{f"{prefix}enterprise_id": enterprise.pk})
    return q


def holder_list_for(
    *, user: User, kind: str = "", area_id: int | None = None, q: str = ""
) -> QuerySet[Holder]:
    """Holders the user can see, optionally of one kind, under one area, or matching ``q``."""
    qs = Holder.objects.filter(_visible_q(user)).select_related("area")
    if kind:
        qs = qs.filter(kind=kind)
    if area_id is not None:
        qs = qs.filter(area_id=area_id)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("area__code", "kind", "name")


def holder_get_for(*, user: User, holder_id: int) -> Holder:
    """One visible holder, or NotFound."""
    holder = Holder.objects.filter(_visible_q(user), pk=holder_id).select_related("area").first()
    if holder is None:
        raise NotFound()
    return holder


def _permissions_at(user: User, holder: Holder) -> frozenset[Permission]:
    scope = scope_for(user)
    code = holder.area.code
    permissions: set[Permission] = set()
    for grant in scope.grants:
        if code.startswith(grant.area_code) and grant.role != Role.CHECKPOINT_STAFF:
            permissions |= grant.permissions
    if holder.checkpoint_id is not None and any(
        g.role == Role.CHECKPOINT_STAFF for g in scope.grants
    ):
        # The checkpoints' own rule: a staff grant counts at the gates the user staffs.
        gate = Checkpoint(pk=holder.checkpoint_id, area=holder.area)
        permissions |= checkpoint_permissions(user, gate)
    return frozenset(permissions)


def holder_require(*, user: User, holder: Holder, permission: Permission) -> None:
    """Refuse unless ``user`` may act with ``permission`` on ``holder``: 404 out of sight, 403
    in sight without the permission. Decided in memory from the scope (a gate's staff: one
    cached query for the gates they staff)."""
    permissions = _permissions_at(user, holder)
    if Permission.VIEW in permissions:
        if permission in permissions:
            return
        raise PermissionDenied()
    if holder.enterprise_id is not None:
        enterprise = enterprise_of_user(user)
        if enterprise is not None and enterprise.pk == holder.enterprise_id:
            if permission in (Permission.VIEW, Permission.KEEP_LEDGER):
                return
            raise PermissionDenied()
    raise NotFound()


@dataclass(frozen=True)
class HolderTies:
    area: Area | None
    org_unit: OrgUnit | None
    checkpoint: Checkpoint | None
    enterprise: Enterprise | None


def holder_ties_get_for(
    *,
    user: User,
    area_id: int | None = None,
    org_unit_id: int | None = None,
    checkpoint_id: int | None = None,
    enterprise_id: int | None = None,
) -> HolderTies:
    """The records a new holder is to be tied to, each read through the user's sight: an id
    that does not exist and one out of sight are the same NotFound, naming only the field."""

    def missing(field: str) -> NotFound:
        return NotFound(errors=[{"field": field, "message": str(NotFound.default_message)}])

    scope = scope_for(user)
    area = org_unit = checkpoint = enterprise = None
    if area_id is not None:
        area = Area.objects.filter(pk=area_id).first()
        if area is None or not scope.covers(area):
            raise missing("area_id")
    if org_unit_id is not None:
        org_unit = OrgUnit.objects.filter(pk=org_unit_id).select_related("area").first()
        if org_unit is None or not scope.covers(org_unit.area):
            raise missing("org_unit_id")
    if checkpoint_id is not None:
        checkpoint = (
            Checkpoint.objects.filter(visible_checkpoints_q(user), pk=checkpoint_id)
            .select_related("area")
            .first()
        )
        if checkpoint is None:
            raise missing("checkpoint_id")
    if enterprise_id is not None:
        try:
            enterprise = enterprise_get_for(user=user, enterprise_id=enterprise_id)
        except NotFound:
            raise missing("enterprise_id") from None
    return HolderTies(area, org_unit, checkpoint, enterprise)


def holders_kept_by(*, user: User) -> QuerySet[Holder]:
    """Holders whose ledger the user keeps (KEEP_LEDGER), for the forms' choices."""
    return Holder.objects.filter(_visible_q(user, Permission.KEEP_LEDGER)).order_by(
        "area__code", "kind", "name"
    )


def can_manage_supplies(user: User) -> bool:
    """Whether the user is on the supplies group's side (approve, allocate, adjust)."""
    return bool(scope_for(user).codes(Permission.MANAGE_SUPPLIES))


def district_store() -> Holder | None:
    return Holder.objects.filter(kind=HolderKind.DISTRICT_STORE).first()


def item_list() -> QuerySet[Item]:
    """Every item (the catalogue is not secret)."""
    return Item.objects.order_by("category", "name")


def item_get(*, item_id: int) -> Item:
    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


def balance_of(*, holder: Holder, item: Item) -> int:
    """The maintained balance: one row read, whatever the size of the ledger."""
    rows = Balance.objects.filter(holder_id=holder.pk, item_id=item.pk).values_list(
        "quantity", flat=True
    )
    return next(iter(rows[:1]), 0)


def entries_for(
    *,
    user: User,
    holder: Holder,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    item_id: int | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[Entry]:
    """A visible holder's ledger entries, newest first, keyset-paged by ``before_id``."""
    holder_require(user=user, holder=holder, permission=Permission.VIEW)
    qs = Entry.objects.filter(holder=holder).select_related("item", "handler", "approver")
    if since:
        qs = qs.filter(occurred_on__gte=since)
    if until:
        qs = qs.filter(occurred_on__lte=until)
    if item_id:
        qs = qs.filter(item_id=item_id)
    if before_id:
        qs = qs.filter(id__lt=before_id)
    return list(qs.order_by("-id")[: page_size(limit)])


def entry_get_for(*, user: User, entry_id: int) -> Entry:
    entry = (
        Entry.objects.filter(_visible_q(user, prefix="holder__"), pk=entry_id)
        .select_related("holder", "item")
        .first()
    )
    if entry is None:
        raise NotFound()
    return entry


# --- Days of cover ------------------------------------------------------------------------------


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
    *, holders: QuerySet[Holder] | list[Holder], today: datetime.date | None = None
) -> list[Cover]:
    """Days of cover for every holder×item that has a balance or was used in the last 7 days.

    Use is consumption and transfers out: a store that sends its stock on runs out as surely as
    a gate that wears it. Derived at read time from the maintained balances and one grouped sum
    over the window's use entries (index holder, item, kind, date): always current, no job to
    schedule.
    """
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
    balances = {
        (b.holder_id, b.item_id): b
        for b in Balance.objects.filter(**holder_filter).select_related("holder", "item")
    }
    keys = set(used) | set(balances)
    missing = keys - set(balances)
    names: dict[tuple[int, int], tuple[str, str, str]] = {}
    if missing:
        holder_names = dict(
            Holder.objects.filter(pk__in={k[0] for k in missing}).values_list("pk", "name")
        )
        items = {i.pk: i for i in Item.objects.filter(pk__in={k[1] for k in missing})}
        for key in missing:
            names[key] = (holder_names[key[0]], items[key[1]].name, items[key[1]].unit)
    result = []
    for key in keys:
        balance_row = balances.get(key)
        quantity = balance_row.quantity if balance_row else 0
        if balance_row:
            holder_name, item_name, unit = (
                balance_row.holder.name,
                balance_row.item.name,
                balance_row.item.unit,
            )
        else:
            holder_name, item_name, unit = names[key]
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


def low_stock_for(*, user: User, holder: Holder | None = None) -> list[Cover]:
    """Holder×items below settings.LOW_STOCK_DAYS days of cover: one holder's, or every holder
    the user sees (the supplies group sees the district's)."""
    if holder is not None:
        holder_require(user=user, holder=holder, permission=Permission.VIEW)
        return [c for c in cover_for(holders=[holder]) if c.is_low]
    holders = Holder.objects.filter(_visible_q(user))
    return [c for c in cover_for(holders=holders) if c.is_low]


# --- Transfers and requests ----------------------------------------------------------------------


def transfer_list_for(
    *, user: User, holder: Holder | None = None, status: str = "", limit: int = 50
) -> QuerySet[Transfer]:
    """Transfers from or to a holder the user sees, newest first."""
    visible = Holder.objects.filter(_visible_q(user)).values("pk")
    qs = Transfer.objects.filter(Q(source__in=visible) | Q(destination__in=visible))
    if holder is not None:
        qs = qs.filter(Q(source=holder) | Q(destination=holder))
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("source", "destination")
        .prefetch_related("lines__item")
        .order_by("-sent_at", "-id")
    )[: page_size(limit)]


def transfer_get_for(*, user: User, transfer_id: int) -> Transfer:
    """One transfer whose sender or receiver the user sees, or NotFound."""
    visible = Holder.objects.filter(_visible_q(user)).values("pk")
    transfer = (
        Transfer.objects.filter(Q(source__in=visible) | Q(destination__in=visible), pk=transfer_id)
        .select_related("source", "destination", "sent_by", "received_by")
        .prefetch_related("lines__item")
        .first()
    )
    if transfer is None:
        raise NotFound()
    return transfer


def transfers_awaiting_receipt(*, user: User) -> QuerySet[Transfer]:
    """Transfers in transit to holders whose ledger the user keeps."""
    kept = Holder.objects.filter(_visible_q(user, Permission.KEEP_LEDGER)).values("pk")
    return (
        Transfer.objects.filter(status=TransferStatus.IN_TRANSIT, destination__in=kept)
        .select_related("source", "destination")
        .order_by("sent_at", "id")
    )


def request_list_for(
    *, user: User, status: str = "", holder: Holder | None = None, limit: int = 100
) -> QuerySet[SupplyRequest]:
    """Requests of holders the user sees, newest first."""
    qs = SupplyRequest.objects.filter(_visible_q(user, prefix="holder__"))
    if status:
        qs = qs.filter(status=status)
    if holder is not None:
        qs = qs.filter(holder=holder)
    return (
        qs.select_related("holder", "created_by", "decided_by")
        .prefetch_related("lines__item")
        .order_by("-created_at", "-id")[: page_size(limit)]
    )


def request_get_for(*, user: User, request_id: int) -> SupplyRequest:
    request = (
        SupplyRequest.objects.filter(_visible_q(user, prefix="holder__"), pk=request_id)
        .select_related("holder")
        .prefetch_related("lines__item")
        .first()
    )
    if request is None:
        raise NotFound()
    return request


def pending_request_count(*, user: User) -> int:
    return SupplyRequest.objects.filter(
        _visible_q(user, prefix="holder__"), status=RequestStatus.PENDING
    ).count()


class Openings(dict[int, int]):
    """Each item's balance before a period, with the item's name (``names``): an item with no
    movement in the period has no entry to be named by."""

    names: dict[int, str]


def ledger_for(
    *, user: User, holder: Holder, since: datetime.date, until: datetime.date
) -> tuple[list[Entry], Openings]:
    """A holder's entries in a period (oldest first) and each item's balance before it."""
    holder_require(user=user, holder=holder, permission=Permission.VIEW)
    entries = list(
        Entry.objects.filter(holder=holder, occurred_on__gte=since, occurred_on__lte=until)
        .select_related("item", "handler")
        .order_by("item_id", "id")
    )
    last_ids = (
        Entry.objects.filter(holder=holder, occurred_on__lt=since)
        .values("item_id")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )
    openings = Openings()
    openings.names = {}
    for item_id, balance, name in Entry.objects.filter(pk__in=list(last_ids)).values_list(
        "item_id", "balance_after", "item__name"
    ):
        openings[item_id] = balance
        openings.names[item_id] = name
    return entries, openings


def balances_for(*, user: User, holder: Holder) -> list[Cover]:
    """A visible holder's stock of every item it has or used, with days of cover."""
    holder_require(user=user, holder=holder, permission=Permission.VIEW)
    return sorted(cover_for(holders=[holder]), key=lambda c: c.item_name)


def adjustment_list_for(
    *, user: User, status: str = "", holder: Holder | None = None, limit: int = 100
) -> QuerySet[StocktakeAdjustment]:
    """Stocktake adjustments of holders the user sees, newest first."""
    qs = StocktakeAdjustment.objects.filter(_visible_q(user, prefix="holder__"))
    if status:
        qs = qs.filter(status=status)
    if holder is not None:
        qs = qs.filter(holder=holder)
    return qs.select_related("holder", "item", "proposed_by", "decided_by").order_by(
        "-proposed_at", "-id"
    )[: page_size(limit)]


def adjustment_get_for(*, user: User, adjustment_id: int) -> StocktakeAdjustment:
    adjustment = (
        StocktakeAdjustment.objects.filter(_visible_q(user, prefix="holder__"), pk=adjustment_id)
        .select_related("holder__area", "item")
        .first()
    )
    if adjustment is None:
        raise NotFound()
    return adjustment
