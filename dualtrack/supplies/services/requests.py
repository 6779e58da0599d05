"""Requests for supplies: a holder asks, the supplies group approves, trims or refuses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.scoping import Permission
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.supplies.access import require_holder
from dualtrack.supplies.models import (
    Holder,
    HolderKind,
    RequestLine,
    RequestStatus,
    SupplyRequest,
)
from dualtrack.supplies.services.transfers import LineIn, _clean_lines

MAX_STAFF, MAX_SHIFTS, MAX_DAYS = 500, 6, 60


def _small(field: str, value: object, maximum: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= maximum:
        raise ValidationFailed.for_field(
            field,
            _("Enter a whole number from 1 to %(n)s.") % {"n": maximum},
            code="out_of_range",
        )
    return number


def request_submit(
    *,
    actor: User,
    holder: Holder,
    lines: Iterable[LineIn],
    justification: str,
    staff: object = None,
    shifts: object = None,
    days: object = None,
) -> SupplyRequest:
    """Ask for items. A checkpoint states its staff per shift, shifts a day and days to cover."""
    require_holder(user=actor, holder=holder, permission=Permission.KEEP_LEDGER)
    justification = (justification or "").strip()
    if not justification:
        raise ValidationFailed.for_field(
            "justification", _("Say what the items are for."), code="justification_required"
        )
    if len(justification) > 500:
        raise ValidationFailed.for_field("justification", _("At most 500 characters."))
    staff_n = _small("staff", staff, MAX_STAFF)
    shifts_n = _small("shifts", shifts, MAX_SHIFTS)
    days_n = _small("days", days, MAX_DAYS)
    if holder.kind == HolderKind.CHECKPOINT and None in (staff_n, shifts_n, days_n):
        raise ValidationFailed.for_field(
            "staff",
            _("A checkpoint gives its staff per shift, shifts a day and days to cover."),
            code="need_required",
        )
    cleaned = _clean_lines(lines)
    with transaction.atomic():
        request = SupplyRequest.objects.create(
            holder=holder,
            justification=justification,
            staff=staff_n,
            shifts=shifts_n,
            days=days_n,
            created_by=actor,
        )
        RequestLine.objects.bulk_create(
            [
                RequestLine(request=request, item=item, quantity_requested=amount)
                for item, amount, _rl in cleaned
            ]
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=request,
            area_code=holder.area.code,
            after=snapshot(request),
        )
    return request


def request_decide(
    *,
    actor: User,
    request: SupplyRequest,
    approve: bool,
    quantities: Mapping[int, object] | None = None,
    reason: str = "",
) -> SupplyRequest:
    """Approve (all, or trimmed per item id in ``quantities``) or refuse a pending request.
    Trimming and refusing need a reason."""
    require_holder(user=actor, holder=request.holder, permission=Permission.MANAGE_SUPPLIES)
    reason = (reason or "").strip()[:300]
    quantities = dict(quantities or {})
    with transaction.atomic():
        locked = SupplyRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.PENDING:
            raise Conflict(_("This request has already been decided."), code="already_decided")
        before = snapshot(locked)
        lines = list(locked.lines.select_related("item"))
        if not approve:
            if not reason:
                raise ValidationFailed.for_field(
                    "reason", _("Give the reason for the refusal."), code="reason_required"
                )
            locked.status = RequestStatus.REFUSED
        else:
            trimmed = False
            errors = []
            for line in lines:
                raw = quantities.get(line.item_id, line.quantity_requested)
                try:
                    amount = int(str(raw))
                except (TypeError, ValueError):
                    amount = -1
                if not 0 <= amount <= line.quantity_requested:
                    errors.append(
                        {
                            "field": f"approved.{line.item_id}",
                            "message": str(
                                _("%(item)s: approve from 0 to %(n)s.")
                                % {"item": line.item.name, "n": line.quantity_requested}
                            ),
                        }
                    )
                    continue
                trimmed = trimmed or amount < line.quantity_requested
                line.quantity_approved = amount
            if errors:
                raise ValidationFailed(
                    _("Some approved quantities are not valid."),
                    code="approval_invalid",
                    errors=errors,
                )
            if trimmed and not reason:
                raise ValidationFailed.for_field(
                    "reason", _("Give the reason for trimming the request."), code="reason_required"
                )
            if not any(line.quantity_approved for line in lines):
                raise ValidationFailed.for_field(
                    "reason",
                    _("Nothing is approved: refuse the request instead."),
                    code="nothing_approved",
                )
            RequestLine.objects.bulk_update(lines, ["quantity_approved"])
            locked.status = RequestStatus.TRIMMED if trimmed else RequestStatus.APPROVED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=locked.holder.area.code,
            before=before,
            after=snapshot(locked),
        )
    return locked
