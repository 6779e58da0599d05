"""The changes of a quarantine order after it was placed: moving between home and a site,
extending, ending early, transferring to hospital, releasing (with its notice number), and
revoking or renewing the personal check-in link.

Each needs a reason, locks the order's row, writes an ``OrderChange`` and an audit entry with
the values before and after, and takes or frees the site's places in the same transaction.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed, require_text
from dualtrack.core.models import AuditAction, User
from dualtrack.health.access.quarantine import Ability, require_order, require_site
from dualtrack.health.models import (
    OrderChange,
    OrderChangeKind,
    OrderStatus,
    QuarantineKind,
    QuarantineOrder,
    QuarantineSite,
)
from dualtrack.health.models.quarantine import new_check_token
from dualtrack.health.services.quarantine import site_free_place, site_take_place

# How far an order may be extended at once.
MAX_EXTENSION_DAYS = 28


def _locked(actor: User, order: QuarantineOrder, *, active: bool = True) -> QuarantineOrder:
    """The order's row, locked for the change, after checking the actor may manage it."""
    require_order(actor, order, Ability.MANAGE)
    locked = (
        QuarantineOrder.objects.select_for_update(of=("self",))
        .select_related("area", "site", "site__area")
        .get(pk=order.pk)
    )
    if active and locked.status != OrderStatus.ACTIVE:
        raise Conflict(
            _("This order is no longer active (%(status)s).")
            % {"status": locked.get_status_display()},
            code="order_closed",
        )
    return locked


def _reason(reason: str) -> str:
    return require_text("reason", reason, max_length=300)


def _record(
    *,
    actor: User,
    order: QuarantineOrder,
    kind: str,
    reason: str,
    detail: str = "",
    before: dict[str, object],
) -> OrderChange:
    change = OrderChange.objects.create(
        order=order,
        kind=kind,
        reason=reason,
        detail=detail[:300],
        changed_by=actor,
        changed_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=order,
        area_code=order.area.code,
        before=before,
        after=snapshot(order),
        note=f"{kind}: {reason}",
    )
    return change


def order_move(
    *,
    actor: User,
    order: QuarantineOrder,
    kind: str,
    reason: str,
    site: QuarantineSite | None = None,
    room: str = "",
) -> QuarantineOrder:
    """Move the person between home and a site (or to another site or room). The new site's
    place is taken before the old one's is freed: a full site refuses, and nothing changes."""
    reason = _reason(reason)
    room = require_text("room", room, max_length=20, required=False)
    if kind not in QuarantineKind.values:
        raise ValidationFailed.for_field("kind", _("Choose one of the options."))
    if (kind == QuarantineKind.SITE) != (site is not None):
        raise ValidationFailed.for_field(
            "site", _("Centralised quarantine needs a site; home quarantine has none.")
        )
    if site is not None:
        require_site(actor, site, Ability.SEE)
    with transaction.atomic():
        order = _locked(actor, order)
        if (
            order.kind == kind
            and order.site_id == (site.pk if site else None)
            and (order.room == room)
        ):
            raise ValidationFailed.for_field(
                "kind", _("The person is already there."), code="nothing_changes"
            )
        before = snapshot(order)
        old_site = order.site
        if site is not None and (old_site is None or old_site.pk != site.pk):
            site_take_place(site)
        if old_site is not None and (site is None or old_site.pk != site.pk):
            site_free_place(old_site)
        where = site.name if site else str(QuarantineKind.HOME.label)
        detail = f"{order.site.name if order.site else QuarantineKind.HOME.label} → {where}"
        order.kind, order.site, order.room = kind, site, room
        order.save(update_fields=["kind", "site", "room"])
        _record(
            actor=actor,
            order=order,
            kind=OrderChangeKind.MOVED,
            reason=reason,
            detail=f"{detail} {room}".strip(),
            before=before,
        )
    return order


def order_extend(
    *, actor: User, order: QuarantineOrder, ends_on: datetime.date, reason: str
) -> QuarantineOrder:
    """Extend the order to end on ``ends_on`` (later than its current end)."""
    reason = _reason(reason)
    with transaction.atomic():
        order = _locked(actor, order)
        if ends_on <= order.ends_on:
            raise ValidationFailed.for_field(
                "ends_on",
                _("The new end must come after the current one (%(day)s).")
                % {"day": order.ends_on.isoformat()},
                code="not_later",
            )
        if (ends_on - order.ends_on).days > MAX_EXTENSION_DAYS:
            raise ValidationFailed.for_field(
                "ends_on",
                _("Extend by at most %(n)d days at a time.") % {"n": MAX_EXTENSION_DAYS},
                code="extension_too_long",
            )
        before = snapshot(order)
        detail = f"{order.ends_on.isoformat()} → {ends_on.isoformat()}"
        order.ends_on = ends_on
        order.save(update_fields=["ends_on"])
        _record(
            actor=actor,
            order=order,
            kind=OrderChangeKind.EXTENDED,
            reason=reason,
            detail=detail,
            before=before,
        )
    return order


def _close(
    *,
    actor: User,
    order: QuarantineOrder,
    status: str,
    kind: str,
    reason: str,
    detail: str = "",
    release: bool = False,
) -> QuarantineOrder:
    reason = _reason(reason)
    with transaction.atomic():
        order = _locked(actor, order)
        today = timezone.localdate()
        if release and today < order.ends_on:
            raise ValidationFailed.for_field(
                "reason",
                _(
                    "The order runs until %(day)s: it can be released from that day on, or ended "
                    "early now."
                )
                % {"day": order.ends_on.isoformat()},
                code="not_yet_due",
            )
        before = snapshot(order)
        if order.site is not None:
            site_free_place(order.site)
        order.status = status
        order.closed_at = timezone.now()
        fields = ["status", "closed_at"]
        if release:
            order.notice_number = notice_number(order, today)
            fields.append("notice_number")
        order.save(update_fields=fields)
        _record(actor=actor, order=order, kind=kind, reason=reason, detail=detail, before=before)
    return order


def notice_number(order: QuarantineOrder, day: datetime.date) -> str:
    """The release notice's number: the year, the order's number, unique as the order."""
    return f"JG{day:%Y}-{order.pk:06d}"


def order_release(*, actor: User, order: QuarantineOrder, reason: str) -> QuarantineOrder:
    """Release the person at the end of the period; the order gets its notice number."""
    return _close(
        actor=actor,
        order=order,
        status=OrderStatus.RELEASED,
        kind=OrderChangeKind.RELEASED,
        reason=reason,
        release=True,
    )


def order_end_early(*, actor: User, order: QuarantineOrder, reason: str) -> QuarantineOrder:
    """End the order before its period is over (a test result, a mistaken identity)."""
    return _close(
        actor=actor,
        order=order,
        status=OrderStatus.ENDED_EARLY,
        kind=OrderChangeKind.ENDED_EARLY,
        reason=reason,
    )


def order_to_hospital(
    *, actor: User, order: QuarantineOrder, hospital: str, reason: str
) -> QuarantineOrder:
    """Transfer the person to hospital (a fever, symptoms): the order ends, the place is freed."""
    hospital = require_text("hospital", hospital, max_length=100)
    return _close(
        actor=actor,
        order=order,
        status=OrderStatus.HOSPITAL,
        kind=OrderChangeKind.HOSPITAL,
        reason=reason,
        detail=hospital,
    )


def order_link_revoke(
    *, actor: User, order: QuarantineOrder, reason: str, renew: bool = False
) -> QuarantineOrder:
    """Kill the personal check-in link (the old address answers no more); with ``renew``, a
    new one replaces it."""
    reason = _reason(reason)
    with transaction.atomic():
        order = _locked(actor, order)
        before = snapshot(order)
        order.check_token = new_check_token()
        order.check_token_revoked = not renew
        order.save(update_fields=["check_token", "check_token_revoked"])
        _record(
            actor=actor,
            order=order,
            kind=OrderChangeKind.LINK_REVOKED,
            reason=reason,
            detail=_("a new link was issued") if renew else "",
            before=before,
        )
    return order
