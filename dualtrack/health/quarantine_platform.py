"""What quarantine plugs into the platform (core.platform), registered from apps.py: the missed
checks waiting for the cadre answerable or the site's staff (a count for the home page and the
menu, and one item per order for the shared inbox)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualtrack.areas.scoping import scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import InboxItem, Waiting
from dualtrack.health.access.quarantine import SITE_ONLY_ROLES, answered_orders_q
from dualtrack.health.selectors.quarantine import missed_flagged_for, staffed_sites_for
from dualtrack.health.selectors.quarantine_slots import slot_deadline


def missed_checks_waiting(user: User) -> Waiting | None:
    """The orders the user answers for with a check missed since yesterday; None for a user
    who answers for none."""
    if answered_orders_q(user) is None:
        return None
    flagged = missed_flagged_for(user=user)
    return Waiting(
        key="quarantine_missed_checks",
        label=_("Quarantine: missed checks"),
        count=len(flagged),
        url=_missed_url(user),
        urgent=len(flagged),
        urgent_label=ngettext("%(n)d person", "%(n)d people", len(flagged)) % {"n": len(flagged)},
    )


def _missed_url(user: User) -> str:
    """Where the missed checks are dealt with: a site's staff (whose only grants are a site's
    staff's, and who see no list of orders) at their site's page, others in the list."""
    grants = scope_for(user).grants
    if grants and all(g.role in SITE_ONLY_ROLES for g in grants):
        sites = staffed_sites_for(user=user)
        if sites:
            return reverse("quarantine_site_detail", args=[sites[0].pk])
    return reverse("quarantine_order_list") + "?missed=on&status=active"


def missed_checks_inbox(user: User) -> list[InboxItem]:
    """One inbox item per order the user answers for with a check missed since yesterday."""
    if answered_orders_q(user) is None:
        return []
    items = []
    for order, slots in missed_flagged_for(user=user):
        last = slots[-1]
        items.append(
            InboxItem(
                key=f"health.quarantine_missed:{order.pk}:{last.day.isoformat()}{last.period}",
                kind=str(_("Missed quarantine check")),
                title=order.name,
                detail=", ".join(slot.label for slot in slots),
                raised_at=slot_deadline(last.day, last.period),
                url=reverse("quarantine_order_detail", args=[order.pk]),
                urgent=True,
            )
        )
    return items
