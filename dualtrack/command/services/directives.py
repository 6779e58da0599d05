"""Directives (指令) and their follow-up (督导): issue (also from a meeting's decision, also fanned
out from a recipient's part), acknowledge, report progress, close with evidence, accept or send
back. Every write checks the access rule, runs in one transaction and leaves an audit entry."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import VILLAGE_KINDS, Area, AreaKind, OrgUnit
from dualtrack.areas.scoping import scope_for
from dualtrack.command import access
from dualtrack.command.files import MAX_FILES, check_files
from dualtrack.command.models import (
    OPEN_STATUSES,
    AssignmentStatus,
    Decision,
    Directive,
    DirectiveAssignment,
    DirectiveAttachment,
    DirectiveReport,
    ReportKind,
)
from dualtrack.core import platform
from dualtrack.core.audit import audit_record
from dualtrack.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    require_text,
)
from dualtrack.core.models import AuditAction, User

TITLE_MAX = 200
TEXT_MAX = 4000
MAX_RECIPIENTS = 60
RECIPIENT_AREA_KINDS = (AreaKind.TOWN, *VILLAGE_KINDS)


def _out_of_scope() -> NotFound:
    message = _("No such unit, or it is outside your scope.")
    return NotFound(message, errors=[{"field": "recipients", "message": message}])


def _check_files(files: Sequence[UploadedFile[bytes]], field: str) -> None:
    check_files(files, field)


def _save_files(
    directive: Directive, report: DirectiveReport | None, files: Sequence[UploadedFile[bytes]]
) -> None:
    for file in files:
        name = (file.name or "file")[-200:]
        attachment = DirectiveAttachment(directive=directive, report=report, name=name)
        attachment.file.save(name, file, save=True)


def check_deadline(deadline: datetime.datetime) -> None:
    if timezone.is_naive(deadline):
        raise ValidationFailed.for_field("deadline", _("Give the deadline with its time zone."))
    if deadline <= timezone.now():
        raise ValidationFailed.for_field("deadline", _("The deadline must not be in the past."))


def _recipients(
    *,
    actor: User,
    within: Area,
    own_unit: OrgUnit | None,
    area_ids: Sequence[int],
    unit_ids: Sequence[int],
) -> tuple[list[Area], list[OrgUnit]]:
    """The recipients a write names, each below ``within`` and in the actor's sight; one out of
    either answers as one that does not exist."""
    if not area_ids and not unit_ids:
        raise ValidationFailed.for_field("recipients", _("Choose at least one recipient."))
    if len(set(area_ids)) + len(set(unit_ids)) > MAX_RECIPIENTS:
        raise ValidationFailed.for_field(
            "recipients", _("At most %(n)d recipients.") % {"n": MAX_RECIPIENTS}
        )
    scope = scope_for(actor)
    areas = list(Area.objects.filter(pk__in=set(area_ids), kind__in=RECIPIENT_AREA_KINDS))
    units = list(OrgUnit.objects.filter(pk__in=set(unit_ids)).select_related("area"))
    if len(areas) != len(set(area_ids)) or len(units) != len(set(unit_ids)):
        raise _out_of_scope()
    for area in areas:
        if area.pk == within.pk or not area.code.startswith(within.code):
            raise _out_of_scope()
        if not scope.covers(area):
            raise _out_of_scope()
    for unit in units:
        if not unit.area.code.startswith(within.code) or not scope.covers(unit.area):
            raise _out_of_scope()
        if own_unit is not None and unit.pk == own_unit.pk:
            raise _out_of_scope()
    return areas, units


def _create(
    *,
    actor: User,
    issuer_area: Area,
    issuer_unit: OrgUnit | None,
    title: str,
    body: str,
    done_when: str,
    check_key: str,
    deadline: datetime.datetime,
    area_ids: Sequence[int],
    unit_ids: Sequence[int],
    files: Sequence[UploadedFile[bytes]],
    decision: Decision | None,
    parent: DirectiveAssignment | None,
) -> Directive:
    title = require_text("title", title, max_length=TITLE_MAX)
    body = require_text("body", body, max_length=TEXT_MAX)
    done_when = require_text("done_when", done_when, max_length=TEXT_MAX)
    check_deadline(deadline)
    if check_key and platform.done_check_for(check_key) is None:
        raise ValidationFailed.for_field("check_key", _("No such check."))
    _check_files(files, "attachments")
    areas, units = _recipients(
        actor=actor, within=issuer_area, own_unit=issuer_unit, area_ids=area_ids, unit_ids=unit_ids
    )
    with transaction.atomic():
        directive = Directive.objects.create(
            title=title,
            body=body,
            done_when=done_when,
            check_key=check_key,
            deadline=deadline,
            issuer_area=issuer_area,
            issuer_unit=issuer_unit,
            issued_by=actor,
            decision=decision,
            parent=parent,
        )
        DirectiveAssignment.objects.bulk_create(
            [DirectiveAssignment(directive=directive, recipient_area=a, area=a) for a in areas]
            + [
                DirectiveAssignment(directive=directive, recipient_unit=u, area=u.area)
                for u in units
            ]
        )
        _save_files(directive, None, files)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=directive,
            area_code=issuer_area.code,
            note=", ".join(str(r) for r in [*areas, *units])[:300],
        )
    return directive


def directive_issue(
    *,
    actor: User,
    title: str,
    body: str,
    done_when: str,
    deadline: datetime.datetime,
    area_ids: Sequence[int] = (),
    unit_ids: Sequence[int] = (),
    check_key: str = "",
    files: Sequence[UploadedFile[bytes]] = (),
    decision: Decision | None = None,
) -> Directive:
    """Issue a directive from the actor's area (HQ, their working group, their town) to units
    under it; ``decision``: the meeting decision it follows up."""
    issuing = access.issuing_for(actor)
    if issuing is None:
        raise PermissionDenied()
    if decision is not None and not access.has(actor, decision.meeting.area, access.Ability.VIEW):
        raise NotFound()
    return _create(
        actor=actor,
        issuer_area=issuing.area,
        issuer_unit=issuing.unit,
        title=title,
        body=body,
        done_when=done_when,
        check_key=check_key,
        deadline=deadline,
        area_ids=area_ids,
        unit_ids=unit_ids,
        files=files,
        decision=decision,
        parent=None,
    )


def directive_fan_out(
    *,
    actor: User,
    assignment: DirectiveAssignment,
    deadline: datetime.datetime,
    area_ids: Sequence[int],
    body: str = "",
    files: Sequence[UploadedFile[bytes]] = (),
) -> Directive:
    """Pass one's part of a directive on to the units under one's own (a town to its villages):
    a sub-directive whose progress rolls up into the part."""
    if not access.answers_for(actor, assignment):
        raise PermissionDenied()
    if assignment.status not in OPEN_STATUSES:
        raise Conflict(_("This part is closed; it can no longer be passed on."))
    parent = assignment.directive
    return _create(
        actor=actor,
        issuer_area=assignment.area,
        issuer_unit=assignment.recipient_unit,
        title=parent.title,
        body=body or parent.body,
        done_when=parent.done_when,
        check_key=parent.check_key,
        deadline=deadline,
        area_ids=area_ids,
        unit_ids=(),
        files=files,
        decision=None,
        parent=assignment,
    )


def _report(
    *,
    actor: User,
    assignment: DirectiveAssignment,
    kind: str,
    text: str = "",
    progress: int | None = None,
    check: platform.CheckResult | None = None,
) -> DirectiveReport:
    report = DirectiveReport.objects.create(
        assignment=assignment,
        kind=kind,
        text=text,
        progress=progress,
        check_key=assignment.directive.check_key if check is not None else "",
        check_passed=check.passed if check is not None else None,
        check_detail=check.detail[:300] if check is not None else "",
        author=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=assignment,
        area_code=assignment.area.code,
        note=f"{kind}: {text}"[:300],
    )
    return report


def _require_recipient(actor: User, assignment: DirectiveAssignment) -> None:
    if not access.answers_for(actor, assignment):
        raise PermissionDenied()


def _locked(assignment: DirectiveAssignment) -> DirectiveAssignment:
    return (
        DirectiveAssignment.objects.select_for_update()
        .select_related("directive", "area")
        .get(pk=assignment.pk)
    )


def assignment_acknowledge(*, actor: User, assignment: DirectiveAssignment) -> DirectiveAssignment:
    _require_recipient(actor, assignment)
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.status != AssignmentStatus.ISSUED:
            raise Conflict(_("This part has been acknowledged already."))
        assignment.status = AssignmentStatus.ACKNOWLEDGED
        assignment.acknowledged_at = timezone.now()
        assignment.save(update_fields=["status", "acknowledged_at"])
        _report(actor=actor, assignment=assignment, kind=ReportKind.ACKNOWLEDGE)
    return assignment


def assignment_progress(
    *, actor: User, assignment: DirectiveAssignment, progress: int, text: str
) -> DirectiveAssignment:
    _require_recipient(actor, assignment)
    text = require_text("text", text, max_length=TEXT_MAX)
    if not 0 <= progress <= 100:
        raise ValidationFailed.for_field("progress", _("Give the progress from 0 to 100 %."))
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.status not in OPEN_STATUSES:
            raise Conflict(_("This part is closed; report on it no more."))
        if assignment.status == AssignmentStatus.ISSUED:
            assignment.status = AssignmentStatus.ACKNOWLEDGED
            assignment.acknowledged_at = timezone.now()
        assignment.progress = progress
        assignment.save(update_fields=["status", "acknowledged_at", "progress"])
        _report(
            actor=actor,
            assignment=assignment,
            kind=ReportKind.PROGRESS,
            text=text,
            progress=progress,
        )
    return assignment


def run_check(directive: Directive, area: Area) -> platform.CheckResult | None:
    """The directive's live check over the part's area, now; None: it names none."""
    if not directive.check_key:
        return None
    check = platform.done_check_for(directive.check_key)
    if check is None:
        return platform.CheckResult(False, _("The check is no longer available."))
    return check.run(area_code=area.code)


def assignment_close(
    *,
    actor: User,
    assignment: DirectiveAssignment,
    text: str = "",
    files: Sequence[UploadedFile[bytes]] = (),
    use_check: bool = False,
) -> DirectiveAssignment:
    """Close one's part with evidence — text, files, or the directive's live check (which must
    pass now) — for the issuer to accept."""
    _require_recipient(actor, assignment)
    text = require_text("text", text, max_length=TEXT_MAX, required=False)
    _check_files(files, "attachments")
    check = run_check(assignment.directive, assignment.area) if use_check else None
    if use_check and check is None:
        raise ValidationFailed.for_field("use_check", _("This directive names no live check."))
    if check is not None and not check.passed:
        raise ValidationFailed.for_field(
            "use_check", _("The check does not pass yet: %(detail)s") % {"detail": check.detail}
        )
    if not text and not files and check is None:
        raise ValidationFailed.for_field(
            "text", _("Close with evidence: a text, a file or the live check.")
        )
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.status not in OPEN_STATUSES:
            raise Conflict(_("This part is closed already."))
        assignment.status = AssignmentStatus.CLOSED
        assignment.closed_at = timezone.now()
        assignment.progress = 100
        assignment.save(update_fields=["status", "closed_at", "progress"])
        report = _report(
            actor=actor, assignment=assignment, kind=ReportKind.CLOSE, text=text, check=check
        )
        _save_files(assignment.directive, report, files)
    return assignment


def _decide(
    *, actor: User, assignment: DirectiveAssignment, accept: bool, text: str
) -> DirectiveAssignment:
    if not access.on_issuer_side(actor, assignment.directive):
        raise PermissionDenied()
    text = require_text("text", text, max_length=TEXT_MAX, required=not accept)
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.status != AssignmentStatus.CLOSED:
            raise Conflict(_("Only a part closed by its recipient can be accepted or sent back."))
        if accept:
            assignment.status = AssignmentStatus.ACCEPTED
            assignment.accepted_at = timezone.now()
        else:
            assignment.status = AssignmentStatus.SENT_BACK
            assignment.closed_at = None
        assignment.save(update_fields=["status", "accepted_at", "closed_at"])
        _report(
            actor=actor,
            assignment=assignment,
            kind=ReportKind.ACCEPT if accept else ReportKind.SEND_BACK,
            text=text,
        )
    return assignment


def assignment_accept(
    *, actor: User, assignment: DirectiveAssignment, text: str = ""
) -> DirectiveAssignment:
    return _decide(actor=actor, assignment=assignment, accept=True, text=text)


def assignment_send_back(
    *, actor: User, assignment: DirectiveAssignment, text: str
) -> DirectiveAssignment:
    """Send a closed part back with the reason; the recipient works on and closes it again."""
    return _decide(actor=actor, assignment=assignment, accept=False, text=text)


def directive_attach(
    *, actor: User, directive: Directive, files: Sequence[UploadedFile[bytes]]
) -> list[DirectiveAttachment]:
    """Attach files to a directive after issuing it (the issuer's side), while one of its parts
    is still open."""
    if not access.on_issuer_side(actor, directive):
        raise PermissionDenied()
    if not files:
        raise ValidationFailed.for_field("files", _("Choose the files to attach."))
    _check_files(files, "files")
    with transaction.atomic():
        directive = Directive.objects.select_for_update().get(pk=directive.pk)
        if not directive.assignments.filter(status__in=OPEN_STATUSES).exists():
            raise Conflict(_("Every part of this directive is closed; attach no more files."))
        if directive.attachments.filter(report__isnull=True).count() + len(files) > MAX_FILES:
            raise ValidationFailed.for_field("files", _("At most %(n)d files.") % {"n": MAX_FILES})
        _save_files(directive, None, files)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=directive,
            area_code=directive.issuer_area.code,
            note=f"files attached: {len(files)}",
        )
    return list(directive.attachments.filter(report__isnull=True).order_by("-id")[: len(files)])
