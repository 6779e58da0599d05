"""Command's JSON API, mounted at /api/command/: directives and their follow-up, joint
meetings, the 24:00 snapshot (202 with its job) and the daily briefings. Thin routes over the
selectors (scoped) and the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from ninja import File, Form, Router, Schema, Status, UploadedFile

from dualtrack.command import selectors
from dualtrack.command.files import DOC, DOCX, attachment_read, file_response
from dualtrack.command.models import DirectiveAssignment
from dualtrack.command.presenters import briefing_out, directive_out, issuer_name, meeting_out
from dualtrack.command.schemas import (
    AttachmentOut,
    BriefingIn,
    BriefingOut,
    CorrectionIn,
    DayIn,
    DirectiveBriefOut,
    DirectiveIn,
    DirectiveOut,
    DoneCheckOut,
    JointMeetingIn,
    JointMeetingOut,
    MinutesIn,
    PartCloseIn,
    PartNoteIn,
    PassOnIn,
    ProgressIn,
)
from dualtrack.command.services import briefings as briefing_services
from dualtrack.command.services import directives as directive_services
from dualtrack.command.services import meetings as meeting_services
from dualtrack.command.services.snapshots import snapshot_freeze_start
from dualtrack.core import platform
from dualtrack.core.api import LIST, READ, WRITE, problems
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.media_types import JPEG, PDF, PNG, XLSX, file_answer
from dualtrack.core.models import User
from dualtrack.core.schemas import Id
from dualtrack.core.views import AuthenticatedRequest

router = Router(tags=["command"])


@router.get(
    "/checks",
    response={200: list[DoneCheckOut], **READ},
    operation_id="command_check_list",
    summary="The live checks a directive may name as what counts as done",
)
def check_list(request: AuthenticatedRequest) -> list[dict[str, str]]:
    return [{"key": c.key, "label": str(c.label)} for c in platform.done_checks()]


@router.get(
    "/directives",
    response={200: list[DirectiveBriefOut], **LIST},
    operation_id="command_directive_list",
    summary="Directives in sight, newest first (box: all, to_me, issued, overdue; 100 at most)",
)
def directive_list(request: AuthenticatedRequest, box: str = "all") -> list[dict[str, Any]]:
    return [
        {
            "id": d.pk,
            "title": d.title,
            "deadline": d.deadline,
            "issuer": issuer_name(d),
            "issued_at": d.issued_at,
        }
        for d in selectors.directive_list_for(user=request.user, box=box)[: selectors.LIST_LIMIT]
    ]


@router.post(
    "/directives",
    response={201: DirectiveOut, **WRITE},
    operation_id="command_directive_issue",
    summary="Issue a directive to towns, villages or units under the issuer's area",
    description="A deadline in the past is refused (422); a recipient outside the issuer's "
    "scope answers 404 as one that does not exist.",
)
def directive_issue(request: AuthenticatedRequest, payload: DirectiveIn) -> Status[dict[str, Any]]:
    decision = (
        selectors.decision_get_for(user=request.user, decision_id=payload.decision_id)
        if payload.decision_id
        else None
    )
    directive = directive_services.directive_issue(
        actor=request.user,
        title=payload.title,
        body=payload.body,
        done_when=payload.done_when,
        deadline=payload.deadline,
        area_ids=payload.recipient_area_ids,
        unit_ids=payload.recipient_unit_ids,
        check_key=payload.check_key,
        decision=decision,
    )
    return Status(201, directive_out(request.user, directive))


@router.get(
    "/directives/{directive_id}",
    response={200: DirectiveOut, **READ},
    operation_id="command_directive_get",
    summary="One directive with its parts and their rolled-up progress",
)
def directive_get(request: AuthenticatedRequest, directive_id: Id) -> dict[str, Any]:
    directive = selectors.directive_get_for(user=request.user, directive_id=directive_id)
    return directive_out(request.user, directive)


def _after(request: AuthenticatedRequest, directive_id: int) -> dict[str, Any]:
    directive = selectors.directive_get_for(user=request.user, directive_id=directive_id)
    return directive_out(request.user, directive)


@router.post(
    "/parts/{part_id}/close-with-files",
    response={200: DirectiveOut, **WRITE},
    operation_id="command_part_close_with_files",
    summary="Close one's part with evidence files (multipart: PDF, Word, Excel, JPEG or PNG, "
    "each checked by its first bytes), a text and/or the live check",
)
def part_close_with_files(
    request: AuthenticatedRequest,
    part_id: Id,
    text: Form[str] = "",
    use_check: Form[bool] = False,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    part = selectors.assignment_get_for(user=request.user, assignment_id=part_id)
    directive_services.assignment_close(
        actor=request.user, assignment=part, text=text, use_check=use_check, files=files or []
    )
    return _after(request, part.directive_id)


@router.post(
    "/directives/{directive_id}/attachments",
    response={201: list[AttachmentOut], **WRITE},
    operation_id="command_directive_attach",
    summary="Attach files to an issued directive (the issuer's side, while a part is open; "
    "multipart, each file checked by its first bytes)",
)
def directive_attach(
    request: AuthenticatedRequest,
    directive_id: Id,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[list[Any]]:
    directive = selectors.directive_get_for(user=request.user, directive_id=directive_id)
    attached = directive_services.directive_attach(
        actor=request.user, directive=directive, files=files or []
    )
    return Status(201, attached)


@router.get(
    "/attachments/{attachment_id}",
    response={200: None, **READ, **problems(409)},
    operation_id="command_attachment_get",
    openapi_extra=file_answer(PDF, JPEG, PNG, XLSX, DOCX, DOC),
    summary="A directive's file or a part's evidence, as the kind it was checked to be",
)
def attachment_get(request: AuthenticatedRequest, attachment_id: Id) -> HttpResponse:
    item = selectors.attachment_get_for(user=request.user, attachment_id=attachment_id)
    return file_response(attachment_read(item))


@dataclass(frozen=True)
class _Step:
    """One step of a part's follow-up as a route: POST /parts/{part_id}/<path> with ``schema``
    (None: no body), doing ``act`` and answering the directive as it is after it."""

    path: str
    operation_id: str
    summary: str
    schema: type[Schema] | None
    act: Callable[[User, DirectiveAssignment, Any], object]
    description: str = ""


_STEPS = (
    _Step(
        "acknowledge",
        "command_part_acknowledge",
        "Acknowledge one's part of a directive",
        None,
        lambda user, part, _p: directive_services.assignment_acknowledge(
            actor=user, assignment=part
        ),
    ),
    _Step(
        "progress",
        "command_part_progress",
        "Report progress on one's part",
        ProgressIn,
        lambda user, part, p: directive_services.assignment_progress(
            actor=user, assignment=part, progress=p.progress, text=p.text
        ),
    ),
    _Step(
        "close",
        "command_part_close",
        "Close one's part with evidence (a text, or the directive's live check)",
        PartCloseIn,
        lambda user, part, p: directive_services.assignment_close(
            actor=user, assignment=part, text=p.text, use_check=p.use_check
        ),
        "Closing without evidence, or with a live check that does not pass, is refused (422). "
        "Files: POST /parts/{part_id}/close-with-files.",
    ),
    _Step(
        "accept",
        "command_part_accept",
        "Accept a closed part (the issuer's side)",
        PartNoteIn,
        lambda user, part, p: directive_services.assignment_accept(
            actor=user, assignment=part, text=p.text
        ),
    ),
    _Step(
        "send-back",
        "command_part_send_back",
        "Send a closed part back with the reason (the issuer's side)",
        PartNoteIn,
        lambda user, part, p: directive_services.assignment_send_back(
            actor=user, assignment=part, text=p.text
        ),
    ),
)


def _add_step(step: _Step) -> None:
    def act(request: AuthenticatedRequest, part_id: int, payload: Any) -> dict[str, Any]:
        part = selectors.assignment_get_for(user=request.user, assignment_id=part_id)
        step.act(request.user, part, payload)
        return _after(request, part.directive_id)

    view: Callable[..., dict[str, Any]]
    # Real annotations: ninja reads them to build the path parameter and the request body.
    annotations: dict[str, Any] = {"request": AuthenticatedRequest, "part_id": Id}
    if step.schema is None:

        def without_body(request: AuthenticatedRequest, part_id: int) -> dict[str, Any]:
            return act(request, part_id, None)

        view = without_body
    else:

        def with_body(request: AuthenticatedRequest, part_id: int, payload: Any) -> dict[str, Any]:
            return act(request, part_id, payload)

        view = with_body
        annotations["payload"] = step.schema
    view.__annotations__ = annotations | {"return": dict[str, Any]}
    view.__name__ = view.__qualname__ = step.operation_id
    router.post(
        f"/parts/{{part_id}}/{step.path}",
        response={200: DirectiveOut, **WRITE},
        operation_id=step.operation_id,
        summary=step.summary,
        description=step.description or None,
    )(view)


for _step in _STEPS:
    _add_step(_step)


@router.post(
    "/parts/{part_id}/pass-on",
    response={201: DirectiveOut, **WRITE},
    operation_id="command_part_pass_on",
    summary="Pass one's part on to the villages under it (a sub-directive)",
)
def part_pass_on(
    request: AuthenticatedRequest, part_id: Id, payload: PassOnIn
) -> Status[dict[str, Any]]:
    part = selectors.assignment_get_for(user=request.user, assignment_id=part_id)
    sub = directive_services.directive_fan_out(
        actor=request.user,
        assignment=part,
        deadline=payload.deadline,
        area_ids=payload.recipient_area_ids,
        body=payload.body,
    )
    return Status(201, directive_out(request.user, sub))


@router.get(
    "/meetings",
    response={200: list[JointMeetingOut], **LIST},
    operation_id="command_meeting_list",
    summary="Joint meetings, newest first (100 at most)",
)
def meeting_list(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    return [meeting_out(request.user, m) for m in selectors.meeting_list_for(user=request.user)]


@router.post(
    "/meetings",
    response={201: JointMeetingOut, **WRITE},
    operation_id="command_meeting_create",
    summary="Record a joint meeting with its decisions",
)
def meeting_create(
    request: AuthenticatedRequest, payload: JointMeetingIn
) -> Status[dict[str, Any]]:
    meeting = meeting_services.meeting_create(
        actor=request.user,
        title=payload.title,
        held_at=payload.held_at,
        place=payload.place,
        agenda=payload.agenda,
        participants=payload.participants,
        minutes=payload.minutes,
        decisions=payload.decisions,
    )
    return Status(201, meeting_out(request.user, meeting))


@router.get(
    "/meetings/{meeting_id}",
    response={200: JointMeetingOut, **READ},
    operation_id="command_meeting_get",
    summary="One meeting with its decisions and the directives made from each",
)
def meeting_get(request: AuthenticatedRequest, meeting_id: Id) -> dict[str, Any]:
    return meeting_out(
        request.user, selectors.meeting_get_for(user=request.user, meeting_id=meeting_id)
    )


@router.post(
    "/meetings/{meeting_id}/minutes",
    response={200: JointMeetingOut, **WRITE},
    operation_id="command_meeting_minutes_edit",
    summary="Edit a meeting's minutes after it (its organiser; the old text kept in the audit "
    "history, the decisions and their directives unchanged)",
)
def meeting_minutes_edit(
    request: AuthenticatedRequest, meeting_id: Id, payload: MinutesIn
) -> dict[str, Any]:
    meeting = selectors.meeting_get_for(user=request.user, meeting_id=meeting_id)
    meeting = meeting_services.meeting_minutes_edit(
        actor=request.user, meeting=meeting, minutes=payload.minutes
    )
    return meeting_out(request.user, meeting)


@router.post(
    "/snapshots",
    response={**ACCEPTED, **WRITE},
    operation_id="command_snapshot_freeze",
    summary="Freeze a day's figures in the background (a day that has ended)",
    description="Answers 202 with the job to poll; a day not yet ended is refused (422). "
    "Freezing a day again replaces its snapshot; briefings keep the figures they were made with.",
)
def snapshot_freeze(
    request: AuthenticatedRequest, response: HttpResponse, payload: DayIn
) -> Status[dict[str, Any]]:
    return job_accepted(snapshot_freeze_start(actor=request.user, day=payload.day), response)


@router.get(
    "/briefings",
    response={200: list[BriefingOut], **LIST},
    operation_id="command_briefing_list",
    summary="Briefings, newest first (drafts for those who make them; 100 at most)",
)
def briefing_list(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    return [briefing_out(b) for b in selectors.briefing_list_for(user=request.user)]


@router.post(
    "/briefings",
    response={201: BriefingOut, **WRITE},
    operation_id="command_briefing_generate",
    summary="Generate a draft briefing from a frozen day",
)
def briefing_generate(request: AuthenticatedRequest, payload: DayIn) -> Status[dict[str, Any]]:
    briefing = briefing_services.briefing_generate(actor=request.user, snapshot_day=payload.day)
    return Status(201, briefing_out(briefing))


@router.get(
    "/briefings/{briefing_id}",
    response={200: BriefingOut, **READ},
    operation_id="command_briefing_get",
    summary="One briefing",
)
def briefing_get(request: AuthenticatedRequest, briefing_id: Id) -> dict[str, Any]:
    return briefing_out(selectors.briefing_get_for(user=request.user, briefing_id=briefing_id))


@router.put(
    "/briefings/{briefing_id}",
    response={200: BriefingOut, **WRITE},
    operation_id="command_briefing_update",
    summary="Edit a draft's title and narrative (a published briefing answers 409)",
)
def briefing_update(
    request: AuthenticatedRequest, briefing_id: Id, payload: BriefingIn
) -> dict[str, Any]:
    briefing = selectors.briefing_get_for(user=request.user, briefing_id=briefing_id)
    briefing = briefing_services.briefing_update(
        actor=request.user, briefing=briefing, title=payload.title, narrative=payload.narrative
    )
    return briefing_out(briefing)


@router.post(
    "/briefings/{briefing_id}/publish",
    response={200: BriefingOut, **WRITE},
    operation_id="command_briefing_publish",
    summary="Publish a draft; publishing twice answers 409",
)
def briefing_publish(request: AuthenticatedRequest, briefing_id: Id) -> dict[str, Any]:
    briefing = selectors.briefing_get_for(user=request.user, briefing_id=briefing_id)
    return briefing_out(briefing_services.briefing_publish(actor=request.user, briefing=briefing))


@router.post(
    "/briefings/{briefing_id}/correction",
    response={201: BriefingOut, **WRITE},
    operation_id="command_briefing_correct",
    summary="A new numbered draft correcting a published briefing, saying what it corrects",
)
def briefing_correct(
    request: AuthenticatedRequest, briefing_id: Id, payload: CorrectionIn
) -> Status[dict[str, Any]]:
    briefing = selectors.briefing_get_for(user=request.user, briefing_id=briefing_id)
    correction = briefing_services.briefing_generate(
        actor=request.user,
        snapshot_day=briefing.snapshot.day,
        corrects=briefing,
        correction_note=payload.correction_note,
    )
    return Status(201, briefing_out(correction))
