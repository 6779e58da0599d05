"""What command's API answers: a directive with its parts, files and rolled-up progress, a
meeting with its decisions and their directives, a briefing (plain dicts in the shape of the
schemas)."""

from __future__ import annotations

from typing import Any

from dualtrack.command import selectors
from dualtrack.command.models import Briefing, Directive, Meeting


def issuer_name(directive: Directive) -> str:
    return str(directive.issuer_unit or directive.issuer_area)


def directive_out(user: Any, directive: Directive) -> dict[str, Any]:
    parts = selectors.parts_for(user=user, directive=directive)
    return {
        "id": directive.pk,
        "title": directive.title,
        "body": directive.body,
        "done_when": directive.done_when,
        "check_key": directive.check_key,
        "deadline": directive.deadline,
        "issuer": issuer_name(directive),
        "issued_at": directive.issued_at,
        "parent_part_id": directive.parent_id,
        "decision_id": directive.decision_id,
        "progress": selectors.directive_progress(parts),
        "attachments": [
            {"id": a.pk, "name": a.name, "report_id": a.report_id}
            for a in selectors.attachments_for(user=user, directive=directive)
        ],
        "parts": [
            {
                "id": p.assignment.pk,
                "recipient": p.assignment.recipient_name,
                "recipient_area_id": p.assignment.recipient_area_id,
                "recipient_unit_id": p.assignment.recipient_unit_id,
                "status": p.assignment.status,
                "status_label": str(p.assignment.get_status_display()),
                "progress": p.progress,
                "overdue": p.overdue,
                "escalated": p.escalated,
                "sub_directive_ids": [d.pk for d in p.sub_directives],
            }
            for p in parts
        ],
    }


def meeting_out(user: Any, meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "held_at": meeting.held_at,
        "place": meeting.place,
        "agenda": meeting.agenda,
        "participants": meeting.participants,
        "minutes": meeting.minutes,
        "decisions": [
            {
                "id": d.pk,
                "number": d.number,
                "text": d.text,
                "directive_ids": [x.pk for x in directives],
            }
            for d, directives in selectors.decisions_with_directives(user=user, meeting=meeting)
        ],
    }


def briefing_out(briefing: Briefing) -> dict[str, Any]:
    content = briefing.content
    return {
        "id": briefing.pk,
        "number": briefing.number,
        "title": briefing.title,
        "status": briefing.status,
        "day": content["day"],
        "narrative": briefing.narrative,
        "figures": content.get("district", []),
        "yesterday": content.get("yesterday", {}),
        "last_week": content.get("last_week", {}),
        "corrects_number": briefing.corrects.number if briefing.corrects else None,
        "correction_note": briefing.correction_note,
        "published_at": briefing.published_at,
    }
