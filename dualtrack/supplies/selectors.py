"""Reads of supplies, always within what the user may see (the rule is ``access``).

Every selector is keyword-only and takes the user; the figures (days of cover, low stock, the
counts of the home page) are in ``figures``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet

from dualtrack.areas.models import Area, OrgUnit
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.checkpoints.access import visible_checkpoints_q
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.selectors import page_size
from dualtrack.enterprises.models import Enterprise
from dualtrack.enterprises.selectors import enterprise_get_for
from dualtrack.supplies.access import holders_visible_q, require_holder
from dualtrack.supplies.models import (
    Balance,
    Entry,
    Holder,
    HolderKind,
    Item,
    StocktakeAdjustment,
    SupplyRequest,
    Transfer,
    TransferStatus,
)


def holder_list_for(
    *, user: User, kind: str = "", area_id: int | None = None, q: str = ""
) -> QuerySet[Holder]:
    """Holders the user can see, optionally of one kind, under one area, or matching ``q``."""
    qs = Holder.objects.filter(holders_visible_q(user)).select_related("area")
    if kind:
        qs = qs.filter(kind=kind)
    if area_id is not None:
        qs = qs.filter(area_id=area_id)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("area__code", "kind", "name")


def holder_get_for(*, user: User, holder_id: int) -> Holder:
    """One visible holder, or NotFound."""
    holder = (
        Holder.objects.filter(holders_visible_q(user), pk=holder_id).select_related("area").first()
    )
    if holder is None:
        raise NotFound()
    return holder


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
    return Holder.objects.filter(holders_visible_q(user, Permission.KEEP_LEDGER)).order_by(
        "area__code", "kind", "name"
    )


def district_store() -> Holder | None:
    return Holder.objects.filter(kind=HolderKind.DISTRICT_STORE).first()


def item_list() -> QuerySet[Item]:
    """Every item (the catalogue is not secret)."""
    return Item.objects.order_by("category", "name")


def item_options() -> list[tuple[int, str]]:
    """The catalogue as (id, name) in its order: the options of the forms' item selects, read
    once for all the selects of a page."""
    return list(item_list().values_list("pk", "name"))


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
    require_holder(user=user, holder=holder, permission=Permission.VIEW)
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
        Entry.objects.filter(holders_visible_q(user, prefix="holder__"), pk=entry_id)
        .select_related("holder", "item")
        .first()
    )
    if entry is None:
        raise NotFound()
    return entry


# --- Transfers and requests ----------------------------------------------------------------------


def transfer_list_for(
    *, user: User, holder: Holder | None = None, status: str = "", limit: int = 50
) -> QuerySet[Transfer]:
    """Transfers from or to a holder the user sees, newest first."""
    visible = Holder.objects.filter(holders_visible_q(user)).values("pk")
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
    visible = Holder.objects.filter(holders_visible_q(user)).values("pk")
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
    kept = Holder.objects.filter(holders_visible_q(user, Permission.KEEP_LEDGER)).values("pk")
    return (
        Transfer.objects.filter(status=TransferStatus.IN_TRANSIT, destination__in=kept)
        .select_related("source", "destination")
        .order_by("sent_at", "id")
    )


def request_list_for(
    *, user: User, status: str = "", holder: Holder | None = None, limit: int = 100
) -> QuerySet[SupplyRequest]:
    """Requests of holders the user sees, newest first."""
    qs = SupplyRequest.objects.filter(holders_visible_q(user, prefix="holder__"))
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
        SupplyRequest.objects.filter(holders_visible_q(user, prefix="holder__"), pk=request_id)
        .select_related("holder")
        .prefetch_related("lines__item")
        .first()
    )
    if request is None:
        raise NotFound()
    return request


class Openings(dict[int, int]):
    """Each item's balance before a period, with the item's name (``names``): an item with no
    movement in the period has no entry to be named by."""

    names: dict[int, str]


def ledger_for(
    *, user: User, holder: Holder, since: datetime.date, until: datetime.date
) -> tuple[list[Entry], Openings]:
    """A holder's entries in a period (oldest first) and each item's balance before it."""
    require_holder(user=user, holder=holder, permission=Permission.VIEW)
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


def adjustment_list_for(
    *, user: User, status: str = "", holder: Holder | None = None, limit: int = 100
) -> QuerySet[StocktakeAdjustment]:
    """Stocktake adjustments of holders the user sees, newest first."""
    qs = StocktakeAdjustment.objects.filter(holders_visible_q(user, prefix="holder__"))
    if status:
        qs = qs.filter(status=status)
    if holder is not None:
        qs = qs.filter(holder=holder)
    return qs.select_related("holder", "item", "proposed_by", "decided_by").order_by(
        "-proposed_at", "-id"
    )[: page_size(limit)]


def adjustment_get_for(*, user: User, adjustment_id: int) -> StocktakeAdjustment:
    adjustment = (
        StocktakeAdjustment.objects.filter(
            holders_visible_q(user, prefix="holder__"), pk=adjustment_id
        )
        .select_related("holder__area", "item")
        .first()
    )
    if adjustment is None:
        raise NotFound()
    return adjustment
