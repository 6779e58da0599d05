"""Proposing an allocation from the district store, and confirming it into transfers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.audit import audit_record
from dualtrack.core.errors import Conflict, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.supplies.allocation import FULL, NONE, Need, Proposal, propose
from dualtrack.supplies.models import (
    OPEN_REQUEST_STATUSES,
    Allocation,
    Balance,
    Holder,
    RequestLine,
    RequestStatus,
    SupplyRequest,
    Transfer,
    tier_of,
)
from dualtrack.supplies.selectors import district_store
from dualtrack.supplies.services.ledger import clean_date
from dualtrack.supplies.services.transfers import send_in_transaction


def _require_manager(actor: User) -> Holder:
    if not scope_for(actor).is_district_wide(Permission.MANAGE_SUPPLIES):
        raise PermissionDenied()
    store = district_store()
    if store is None:
        raise Conflict(_("There is no district store yet."), code="no_store")
    return store


def explain(p: Proposal) -> str:
    """One line saying why a proposal line got what it got."""
    tier = p.need.tier
    if p.reason == FULL:
        return _("Tier %(tier)s: the whole need is met.") % {"tier": tier}
    if p.reason == NONE:
        return _("Tier %(tier)s: nothing left after the tiers before it.") % {"tier": tier}
    return _("Tier %(tier)s: %(left)s left for %(need)s asked, shared in proportion to need.") % {
        "tier": tier,
        "left": p.available,
        "need": p.tier_need,
    }


def allocation_propose(*, actor: User) -> list[Proposal]:
    """The proposal for every open approved request line, from the store's current stock."""
    store = _require_manager(actor)
    stock = dict(Balance.objects.filter(holder=store).values_list("item_id", "quantity"))
    # Plain tuples, not model instances: 20,000 open lines are read in well under a second.
    rows = (
        RequestLine.objects.filter(request__status__in=OPEN_REQUEST_STATUSES)
        .order_by("request_id", "id")  # ids follow creation: earlier requests first
        .values_list(
            "id",
            "request__holder_id",
            "request__holder__name",
            "request__holder__kind",
            "request__holder__front_line",
            "item_id",
            "item__name",
            "quantity_approved",
            "quantity_allocated",
        )
    )
    needs = [
        Need(
            line_id=line_id,
            holder_id=holder_id,
            holder_name=holder_name,
            tier=tier_of(kind, front_line),
            item_id=item_id,
            item_name=item_name,
            quantity=(approved or 0) - allocated,
        )
        for (
            line_id,
            holder_id,
            holder_name,
            kind,
            front_line,
            item_id,
            item_name,
            approved,
            allocated,
        ) in rows
        if (approved or 0) > allocated
    ]
    return propose(stock, needs)


def allocation_confirm(
    *, actor: User, lines: Iterable[tuple[int, object]], note: str = ""
) -> Allocation:
    """Turn the (edited) proposal into transfers from the store, one per receiving holder, in
    one transaction: every line checked, then all transfers sent, or nothing."""
    store = _require_manager(actor)
    wanted: dict[int, int] = {}
    errors: list[dict[str, str]] = []
    for line_id, raw in lines:
        try:
            amount = int(str(raw).strip() or "0")
        except (TypeError, ValueError):
            amount = -1
        if amount < 0:
            errors.append(
                {"field": f"line.{line_id}", "message": str(_("Enter a whole number, 0 or more."))}
            )
        elif amount:
            wanted[int(line_id)] = amount
    if errors:
        raise ValidationFailed(
            _("Some quantities are not valid."), code="allocation_invalid", errors=errors
        )
    if not wanted:
        raise ValidationFailed.for_field(
            "lines", _("The allocation sends nothing."), code="allocation_empty"
        )
    on = clean_date(None)
    with transaction.atomic():
        request_lines = {
            rl.pk: rl
            for rl in RequestLine.objects.select_for_update()
            .filter(pk__in=wanted)
            .select_related("request__holder", "item")
        }
        by_holder: dict[int, list] = defaultdict(list)
        for line_id, amount in wanted.items():
            rl = request_lines.get(line_id)
            if rl is None or rl.request.status not in OPEN_REQUEST_STATUSES:
                errors.append(
                    {"field": f"line.{line_id}", "message": str(_("This request is not open."))}
                )
                continue
            if amount > rl.outstanding:
                errors.append(
                    {
                        "field": f"line.{line_id}",
                        "message": str(
                            _("%(holder)s, %(item)s: at most %(n)s is still approved.")
                            % {
                                "holder": rl.request.holder.name,
                                "item": rl.item.name,
                                "n": rl.outstanding,
                            }
                        ),
                    }
                )
                continue
            by_holder[rl.request.holder_id].append((rl, amount))
        if errors:
            raise ValidationFailed(
                _("The allocation was not confirmed: check the lines."),
                code="allocation_invalid",
                errors=errors,
            )
        allocation = Allocation.objects.create(
            confirmed_by=actor, confirmed_at=timezone.now(), note=(note or "").strip()[:300]
        )
        transfers: list[Transfer] = []
        for _holder_id, items in sorted(by_holder.items()):
            destination = items[0][0].request.holder
            # One line per item: two requests of a holder for the same item are summed.
            merged: dict[int, list] = {}
            for rl, amount in items:
                if rl.item_id in merged:
                    merged[rl.item_id][1] += amount
                else:
                    merged[rl.item_id] = [rl.item, amount, rl]
            transfers.append(
                send_in_transaction(
                    actor=actor,
                    source=store,
                    destination=destination,
                    lines=[(item, amount, rl) for item, amount, rl in merged.values()],
                    sent_on=on,
                    allocation=allocation,
                )
            )
            for rl, amount in items:
                RequestLine.objects.filter(pk=rl.pk).update(
                    quantity_allocated=F("quantity_allocated") + amount
                )
        request_ids = {rl.request_id for rl in request_lines.values()}
        for request in SupplyRequest.objects.filter(pk__in=request_ids).prefetch_related("lines"):
            if all(line.outstanding == 0 for line in request.lines.all()):
                request.status = RequestStatus.FULFILLED
                request.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=allocation,
            area_code=store.area.code,
            note=f"{len(transfers)} transfers, {sum(wanted.values())} units",
        )
    return allocation


__all__ = ["NONE", "allocation_confirm", "allocation_propose", "explain"]
