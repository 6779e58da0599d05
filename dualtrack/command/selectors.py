"""Reads of command, each for a user and within their sight (``access``). Overdue and escalated
are derived when read from the deadline, never stored."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from dualtrack.areas.models import Area
from dualtrack.command import access
from dualtrack.command.models import (
    OPEN_STATUSES,
    AssignmentStatus,
    Briefing,
    BriefingStatus,
    Decision,
    Directive,
    DirectiveAssignment,
    DirectiveAttachment,
    Meeting,
    Notice,
    Snapshot,
)
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User

LIST_LIMIT = 100
UNFINISHED = (*OPEN_STATUSES, AssignmentStatus.CLOSED)


def escalation_delta() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.DIRECTIVE_ESCALATION_HOURS)


def is_overdue(assignment: DirectiveAssignment, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return assignment.status in UNFINISHED and assignment.directive.deadline < now


def is_escalated(assignment: DirectiveAssignment, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        assignment.status in UNFINISHED and assignment.directive.deadline + escalation_delta() < now
    )


def directive_list_for(*, user: User, box: str = "all") -> QuerySet[Directive]:
    """The directives in sight; ``box``: ``to_me`` (parts the user answers for still open),
    ``issued`` (on the issuer's side), ``overdue`` (a part past its deadline), ``all``."""
    qs = Directive.objects.filter(access.directives_visible_q(user))
    now = timezone.now()
    if box == "to_me":
        mine = DirectiveAssignment.objects.filter(
            access.answering_q(user), status__in=OPEN_STATUSES
        )
        qs = qs.filter(pk__in=mine.values("directive_id"))
    elif box == "issued":
        qs = qs.filter(access.issuer_side_q(user))
    elif box == "overdue":
        late = DirectiveAssignment.objects.filter(
            status__in=UNFINISHED, directive__deadline__lt=now
        )
        qs = qs.filter(pk__in=late.values("directive_id"))
    return qs.select_related("issuer_area", "issuer_unit").order_by("-issued_at", "-id")


def directive_get_for(*, user: User, directive_id: int) -> Directive:
    directive = (
        Directive.objects.filter(access.directives_visible_q(user), pk=directive_id)
        .select_related("issuer_area", "issuer_unit", "issued_by", "decision__meeting", "parent")
        .first()
    )
    if directive is None:
        raise NotFound()
    return directive


def assignment_get_for(*, user: User, assignment_id: int) -> DirectiveAssignment:
    assignment = (
        DirectiveAssignment.objects.filter(access.assignments_visible_q(user), pk=assignment_id)
        .select_related("directive", "area", "recipient_area", "recipient_unit")
        .first()
    )
    if assignment is None:
        raise NotFound()
    return assignment


def attachments_for(*, user: User, directive: Directive) -> list[DirectiveAttachment]:
    """The directive's files and its parts' evidence (seen by whoever sees the directive, as
    its parts are), in upload order."""
    return list(directive.attachments.order_by("id"))


def attachment_get_for(*, user: User, attachment_id: int) -> DirectiveAttachment:
    """One file of a directive in sight; out of sight answers as missing."""
    item = DirectiveAttachment.objects.filter(pk=attachment_id).first()
    if item is None:
        raise NotFound()
    directive_get_for(user=user, directive_id=item.directive_id)
    return item


@dataclass
class Part:
    """A recipient's part as a page shows it: its rolled-up progress, overdue and escalated."""

    assignment: DirectiveAssignment
    progress: int
    overdue: bool
    escalated: bool
    answers: bool
    sub_directives: list[Directive]


def _rolled_up(assignment_ids: list[int]) -> dict[int, int]:
    """Each part's progress with its fanned-out parts rolled up: an accepted part is done, a
    part passed on is the mean of its sub-parts (down the whole tree)."""
    result: dict[int, int] = {}
    children: dict[int, list[DirectiveAssignment]] = {}
    own: dict[int, DirectiveAssignment] = {
        a.pk: a for a in DirectiveAssignment.objects.filter(pk__in=assignment_ids)
    }
    frontier = list(own)
    seen: set[int] = set(frontier)
    while frontier:
        subs = list(
            DirectiveAssignment.objects.filter(directive__parent_id__in=frontier).select_related(
                "directive"
            )
        )
        frontier = []
        for sub in subs:
            parent_id = sub.directive.parent_id
            if parent_id is None:
                continue
            children.setdefault(parent_id, []).append(sub)
            if sub.pk not in seen:
                seen.add(sub.pk)
                own[sub.pk] = sub
                frontier.append(sub.pk)

    def value(pk: int) -> int:
        if pk in result:
            return result[pk]
        assignment = own[pk]
        if assignment.status in (AssignmentStatus.ACCEPTED, AssignmentStatus.CLOSED):
            result[pk] = 100
        elif children.get(pk):
            kids = children[pk]
            result[pk] = round(sum(value(k.pk) for k in kids) / len(kids))
        else:
            result[pk] = assignment.progress
        return result[pk]

    return {pk: value(pk) for pk in assignment_ids}


def parts_for(*, user: User, directive: Directive) -> list[Part]:
    """The directive's parts (its recipients), each with its rolled-up progress."""
    assignments = list(
        directive.assignments.select_related("recipient_area", "recipient_unit", "area")
        .prefetch_related("reports__author", "reports__attachments")
        .order_by("id")
    )
    for a in assignments:
        a.directive = directive
    progress = _rolled_up([a.pk for a in assignments])
    subs: dict[int, list[Directive]] = {}
    for sub in Directive.objects.filter(
        access.directives_visible_q(user), parent__in=assignments
    ).order_by("id"):
        if sub.parent_id is not None:
            subs.setdefault(sub.parent_id, []).append(sub)
    now = timezone.now()
    return [
        Part(
            assignment=a,
            progress=progress[a.pk],
            overdue=is_overdue(a, now),
            escalated=is_escalated(a, now),
            answers=access.answers_for(user, a),
            sub_directives=subs.get(a.pk, []),
        )
        for a in assignments
    ]


def directive_progress(parts: list[Part]) -> int:
    return round(sum(p.progress for p in parts) / len(parts)) if parts else 0


def answering_open_for(*, user: User) -> QuerySet[DirectiveAssignment]:
    """The open parts the user answers for, soonest deadline first (the inbox, the home page)."""
    return (
        DirectiveAssignment.objects.filter(access.answering_q(user), status__in=OPEN_STATUSES)
        .select_related("directive", "area", "recipient_area", "recipient_unit")
        .order_by("directive__deadline", "id")[:LIST_LIMIT]
    )


def awaiting_acceptance_for(*, user: User) -> QuerySet[DirectiveAssignment]:
    """The closed parts waiting for the user, on the issuer's side, to accept or send back."""
    return (
        DirectiveAssignment.objects.filter(
            access.issuer_side_q(user, prefix="directive__"), status=AssignmentStatus.CLOSED
        )
        .select_related("directive", "area", "recipient_area", "recipient_unit")
        .order_by("closed_at", "id")[:LIST_LIMIT]
    )


def escalated_for(*, user: User) -> QuerySet[DirectiveAssignment]:
    """The parts escalated to the user: unfinished, past the deadline by the setting's hours,
    of directives whose issuer's superior the user is."""
    cutoff = timezone.now() - escalation_delta()
    return (
        DirectiveAssignment.objects.filter(
            access.superior_q(user, prefix="directive__"),
            status__in=UNFINISHED,
            directive__deadline__lt=cutoff,
        )
        .select_related("directive", "area", "recipient_area", "recipient_unit")
        .order_by("directive__deadline", "id")[:LIST_LIMIT]
    )


def overdue_count(*, user: User, at: datetime.datetime, under: Area | None = None) -> int:
    """Parts in sight unfinished at ``at`` past their deadline (the briefing's figure); only
    those answered for under ``under`` when given (a town's wall screen)."""
    parts = DirectiveAssignment.objects.filter(access.assignments_visible_q(user))
    if under is not None:
        parts = parts.filter(area__code__startswith=under.code)
    return (
        parts.filter(directive__deadline__lt=at, directive__issued_at__lt=at)
        .filter(
            Q(status__in=OPEN_STATUSES)
            | Q(closed_at__gt=at)
            | Q(status=AssignmentStatus.CLOSED, closed_at__isnull=True)
        )
        .count()
    )


# --- Meetings --------------------------------------------------------------------------------


def meeting_list_for(*, user: User) -> QuerySet[Meeting]:
    """HQ's meetings, for those who see the district."""
    if not access.district_wide(user, access.Ability.VIEW):
        return Meeting.objects.none()
    return Meeting.objects.order_by("-held_at", "-id")[:LIST_LIMIT]


def meeting_get_for(*, user: User, meeting_id: int) -> Meeting:
    if not access.district_wide(user, access.Ability.VIEW):
        raise NotFound()
    meeting = Meeting.objects.filter(pk=meeting_id).select_related("area").first()
    if meeting is None:
        raise NotFound()
    return meeting


def decision_get_for(*, user: User, decision_id: int) -> Decision:
    decision = Decision.objects.filter(pk=decision_id).select_related("meeting__area").first()
    if decision is None or not access.district_wide(user, access.Ability.VIEW):
        raise NotFound()
    return decision


def decisions_with_directives(*, user: User, meeting: Meeting) -> list[tuple[Decision, Any]]:
    return [
        (d, list(Directive.objects.filter(access.directives_visible_q(user), decision=d)))
        for d in meeting.decisions.order_by("number")
    ]


# --- Snapshots, briefings, notices ------------------------------------------------------------


def snapshot_list_for(*, user: User) -> QuerySet[Snapshot]:
    if not access.district_wide(user, access.Ability.BRIEFINGS):
        return Snapshot.objects.none()
    return Snapshot.objects.order_by("-day")[:LIST_LIMIT]


def briefing_list_for(*, user: User) -> QuerySet[Briefing]:
    """Published briefings for everyone in command; drafts too for those who make them."""
    if access.district_wide(user, access.Ability.BRIEFINGS):
        qs = Briefing.objects.all()
    elif access.codes_for(user):
        qs = Briefing.objects.filter(status=BriefingStatus.PUBLISHED)
    else:
        qs = Briefing.objects.none()
    return qs.select_related("snapshot").order_by("-number")[:LIST_LIMIT]


def briefing_get_for(*, user: User, briefing_id: int) -> Briefing:
    # Only the snapshot's day is read from it: its figures (every town's, decoded) stay unread.
    briefing = (
        Briefing.objects.filter(pk=briefing_id)
        .select_related("snapshot")
        .defer("snapshot__figures", "snapshot__timings")
        .first()
    )
    if briefing is None:
        raise NotFound()
    if access.district_wide(user, access.Ability.BRIEFINGS):
        return briefing
    if briefing.is_published and access.codes_for(user):
        return briefing
    raise NotFound()


def public_briefings(*, limit: int = 30) -> QuerySet[Briefing]:
    return Briefing.objects.filter(status=BriefingStatus.PUBLISHED).order_by("-number")[:limit]


def public_briefing(*, number: int) -> Briefing:
    briefing = Briefing.objects.filter(status=BriefingStatus.PUBLISHED, number=number).first()
    if briefing is None:
        raise NotFound()
    return briefing


def public_notices(*, limit: int = 20) -> QuerySet[Notice]:
    return Notice.objects.order_by("-published_at", "-id")[:limit]
