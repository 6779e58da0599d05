"""What command puts in the shared inbox and the home page (core.platform): the parts of
directives the user answers for (urgent once overdue), the closed parts waiting for the issuer's
acceptance, the parts escalated to the user as the issuer's superior, and a briefing draft
waiting to be published."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dualtrack.command import selectors
from dualtrack.command.access import Ability, district_wide
from dualtrack.command.models import Briefing, BriefingStatus, DirectiveAssignment
from dualtrack.core.models import User
from dualtrack.core.platform import InboxItem, Waiting


def _when(assignment: DirectiveAssignment) -> str:
    deadline = timezone.localtime(assignment.directive.deadline)
    return formats.date_format(deadline, "SHORT_DATETIME_FORMAT")


def _url(assignment: DirectiveAssignment) -> str:
    return reverse("command_directive", args=[assignment.directive_id]) + f"#part-{assignment.pk}"


def directives_inbox(user: User) -> list[InboxItem]:
    now = timezone.now()
    items: list[InboxItem] = []
    for a in selectors.answering_open_for(user=user):
        items.append(
            InboxItem(
                key=f"command.assignment:{a.pk}",
                kind=_("Directive to carry out"),
                title=a.directive.title,
                detail=_("%(who)s · due %(when)s · %(status)s")
                % {"who": a.recipient_name, "when": _when(a), "status": a.get_status_display()},
                raised_at=a.directive.issued_at,
                url=_url(a),
                urgent=selectors.is_overdue(a, now),
            )
        )
    for a in selectors.awaiting_acceptance_for(user=user):
        items.append(
            InboxItem(
                key=f"command.acceptance:{a.pk}",
                kind=_("Directive closed, to accept"),
                title=a.directive.title,
                detail=a.recipient_name,
                raised_at=a.closed_at or a.directive.issued_at,
                url=_url(a),
            )
        )
    for a in selectors.escalated_for(user=user):
        items.append(
            InboxItem(
                key=f"command.escalated:{a.pk}",
                kind=_("Overdue directive escalated"),
                title=a.directive.title,
                detail=_("%(who)s · was due %(when)s")
                % {"who": a.recipient_name, "when": _when(a)},
                raised_at=a.directive.deadline + selectors.escalation_delta(),
                url=_url(a),
                urgent=True,
            )
        )
    return items


def briefings_inbox(user: User) -> list[InboxItem]:
    if not district_wide(user, Ability.BRIEFINGS):
        return []
    drafts = Briefing.objects.filter(status=BriefingStatus.DRAFT).order_by("-number")[:5]
    return [
        InboxItem(
            key=f"command.briefing:{b.pk}",
            kind=_("Briefing draft to publish"),
            title=b.title,
            detail=_("No. %(n)d") % {"n": b.number},
            raised_at=b.created_at,
            url=reverse("command_briefing", args=[b.pk]),
        )
        for b in drafts
    ]


def directives_waiting(user: User) -> Waiting | None:
    """The directives the user has to carry out, with the next deadline: the home page's line."""
    parts = list(selectors.answering_open_for(user=user))
    if not parts:
        return None
    now = timezone.now()
    overdue = sum(1 for a in parts if selectors.is_overdue(a, now))
    return Waiting(
        key="directives",
        label=_("Directives to carry out (next deadline %(when)s)") % {"when": _when(parts[0])},
        count=len(parts),
        url=reverse("command_directives") + "?box=to_me",
        urgent=overdue,
        urgent_label=_("overdue"),
    )
