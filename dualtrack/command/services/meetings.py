"""Joint meetings (联席会议): recorded with their agenda, participants, minutes and decisions;
a decision becomes directives through ``directives.directive_issue(decision=…)``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area
from dualtrack.areas.scoping import ROOT_CODE
from dualtrack.command import access
from dualtrack.command.models import Decision, Meeting
from dualtrack.core.audit import audit_record
from dualtrack.core.errors import PermissionDenied, ValidationFailed, require_text
from dualtrack.core.models import AuditAction, User

TEXT_MAX = 8000
MAX_DECISIONS = 30


def _require(actor: User) -> Area:
    if not access.district_wide(actor, access.Ability.MEETINGS):
        raise PermissionDenied()
    return Area.objects.get(code=ROOT_CODE)


def meeting_create(
    *,
    actor: User,
    title: str,
    held_at: datetime.datetime,
    agenda: str,
    participants: str,
    place: str = "",
    minutes: str = "",
    decisions: Sequence[str] = (),
) -> Meeting:
    """Record a joint meeting with its decisions (one text each, numbered in order)."""
    area = _require(actor)
    title = require_text("title", title, max_length=200)
    agenda = require_text("agenda", agenda, max_length=TEXT_MAX)
    participants = require_text("participants", participants, max_length=TEXT_MAX)
    place = require_text("place", place, max_length=100, required=False)
    minutes = require_text("minutes", minutes, max_length=TEXT_MAX * 4, required=False)
    texts = [
        require_text("decisions", text, max_length=TEXT_MAX) for text in decisions if text.strip()
    ]
    if len(texts) > MAX_DECISIONS:
        raise ValidationFailed.for_field(
            "decisions", _("At most %(n)d decisions.") % {"n": MAX_DECISIONS}
        )
    with transaction.atomic():
        meeting = Meeting.objects.create(
            title=title,
            held_at=held_at,
            place=place,
            agenda=agenda,
            participants=participants,
            minutes=minutes,
            area=area,
            created_by=actor,
        )
        Decision.objects.bulk_create(
            [Decision(meeting=meeting, number=n, text=t) for n, t in enumerate(texts, start=1)]
        )
        audit_record(actor=actor, action=AuditAction.CREATE, instance=meeting, area_code=area.code)
    return meeting


def decision_add(*, actor: User, meeting: Meeting, text: str) -> Decision:
    _require(actor)
    text = require_text("text", text, max_length=TEXT_MAX)
    with transaction.atomic():
        count = Decision.objects.select_for_update().filter(meeting=meeting).count()
        if count >= MAX_DECISIONS:
            raise ValidationFailed.for_field(
                "text", _("At most %(n)d decisions.") % {"n": MAX_DECISIONS}
            )
        decision = Decision.objects.create(meeting=meeting, number=count + 1, text=text)
        audit_record(
            actor=actor, action=AuditAction.CREATE, instance=decision, area_code=meeting.area.code
        )
    return decision


def meeting_minutes_edit(*, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    """Edit the minutes after the meeting: its organiser (who recorded it) only, while they may
    still hold meetings; the old and new text go to the audit history. The decisions, and the
    directives made from them, stay as they are."""
    _require(actor)
    if meeting.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the meeting's organiser may edit its minutes."))
    minutes = require_text("minutes", minutes, max_length=TEXT_MAX * 4, required=False)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        before = meeting.minutes
        if minutes == before:
            return meeting
        meeting.minutes = minutes
        meeting.save(update_fields=["minutes"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=meeting,
            area_code=meeting.area.code,
            before={"minutes": before},
            after={"minutes": minutes},
            note="minutes edited",
        )
    return meeting
