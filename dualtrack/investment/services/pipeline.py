"""The pipeline (屏对屏招商): a project is registered as a lead, moves one stage at a time
through contact and online negotiation to agreement, with its online meetings, the documents
exchanged and the next step with its date. Signing happens only at a ceremony
(``services.ceremonies``)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.models import Enterprise
from dualtrack.enterprises.services import fields
from dualtrack.investment import access
from dualtrack.investment.models import (
    STAGE_ORDER,
    DocumentDirection,
    Meeting,
    Project,
    ProjectDocument,
    ProjectEvent,
    Stage,
)

MAX_AMOUNT = Decimal("1000000000000")  # a trillion yuan
SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}


def money(errors: fields.Errors, field: str, value: Any, *, maximum: Decimal) -> Decimal:
    """An amount in yuan, not negative, at most two decimals (never a float)."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if (
        not amount.is_finite()
        or amount < 0
        or amount > maximum
        or amount != amount.quantize(Decimal("0.01"))
    ):
        errors.append(
            {"field": field, "message": _("Enter an amount in yuan, with at most two decimals.")}
        )
        return Decimal(0)
    return amount.quantize(Decimal("0.01"))


def clean_datetime(errors: fields.Errors, field: str, value: Any) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    try:
        moment = datetime.datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        errors.append({"field": field, "message": _("Enter a date and time.")})
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def clean_link(errors: fields.Errors, field: str, value: Any) -> str:
    link = fields.text(errors, field, value, 300, required=False)
    if link and not link.startswith(("https://", "http://")):
        errors.append({"field": field, "message": _("Enter a web address (https://…).")})
    return link


def project_create(
    *,
    actor: User,
    name: Any,
    investor: Any,
    industry: Any,
    amount: Any,
    jobs_expected: Any,
    team: Any,
    next_step: Any = "",
    next_step_on: Any = None,
    local_company: Enterprise | None = None,
) -> Project:
    """The investment team registers a lead."""
    access.require_keep_pipeline(actor)
    errors: fields.Errors = []
    data = {
        "name": fields.text(errors, "name", name, 200, required=True),
        "investor": fields.text(errors, "investor", investor, 200, required=True),
        "industry": fields.text(errors, "industry", industry, 100, required=True),
        "amount": money(errors, "amount", amount, maximum=MAX_AMOUNT),
        "jobs_expected": fields.count(errors, "jobs_expected", jobs_expected, maximum=1_000_000),
        "team": fields.text(errors, "team", team, 200, required=True),
        "next_step": fields.text(errors, "next_step", next_step, 300, required=False),
        "next_step_on": fields.date(errors, "next_step_on", next_step_on, required=False),
    }
    fields.raise_if(errors)
    with transaction.atomic():
        project = Project.objects.create(local_company=local_company, **data)
        ProjectEvent.objects.create(
            project=project, stage=Stage.LEAD, at=timezone.now(), actor=actor
        )
        audit_record(
            actor=actor, action=AuditAction.CREATE, instance=project, after=snapshot(project)
        )
    return project


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def project_advance(
    *,
    actor: User,
    project: Project,
    stage: Any,
    next_step: Any = "",
    next_step_on: Any = None,
    note: Any = "",
) -> Project:
    """Move a project to the next stage (up to agreement), with its next step and date."""
    access.require_keep_project(actor, project)
    errors: fields.Errors = []
    if stage not in (Stage.CONTACT, Stage.NEGOTIATION, Stage.AGREEMENT):
        errors.append(
            {"field": "stage", "message": _("A project is signed only at a signing ceremony.")}
        )
    step = fields.text(errors, "next_step", next_step, 300, required=False)
    step_on = fields.date(errors, "next_step_on", next_step_on, required=False)
    text = fields.text(errors, "note", note, 300, required=False)
    fields.raise_if(errors)
    with transaction.atomic():
        locked = _locked(project)
        if STAGE_ORDER.index(Stage(stage)) != STAGE_ORDER.index(Stage(locked.stage)) + 1:
            raise Conflict(
                _("A project at %(current)s cannot move to %(next)s.")
                % {"current": locked.get_stage_display(), "next": Stage(stage).label},
                code="wrong_stage",
            )
        before = snapshot(locked)
        locked.stage, locked.next_step, locked.next_step_on = stage, step, step_on
        locked.save(update_fields=["stage", "next_step", "next_step_on"])
        ProjectEvent.objects.create(
            project=locked, stage=stage, at=timezone.now(), note=text, actor=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            before=before,
            after=snapshot(locked),
        )
    return locked


def meeting_add(
    *,
    actor: User,
    project: Project,
    held_at: Any,
    participants: Any,
    video_link: Any = "",
    minutes: Any = "",
) -> Meeting:
    """Record an online meeting with the investor."""
    access.require_keep_project(actor, project)
    errors: fields.Errors = []
    moment = clean_datetime(errors, "held_at", held_at)
    who = fields.text(errors, "participants", participants, 500, required=True)
    link = clean_link(errors, "video_link", video_link)
    text = fields.text(errors, "minutes", minutes, 5000, required=False)
    fields.raise_if(errors)
    assert moment is not None
    with transaction.atomic():
        meeting = Meeting.objects.create(
            project=project, held_at=moment, participants=who, video_link=link, minutes=text
        )
        audit_record(
            actor=actor, action=AuditAction.CREATE, instance=meeting, after=snapshot(meeting)
        )
    return meeting


def document_add(
    *,
    actor: User,
    project: Project,
    title: Any,
    direction: Any,
    file: UploadedFile[bytes] | None,
) -> ProjectDocument:
    """A document exchanged with the investor: a JPEG, PNG or PDF within the size limit."""
    access.require_keep_project(actor, project)
    errors: fields.Errors = []
    clean = fields.text(errors, "title", title, 200, required=True)
    if direction not in DocumentDirection.values:
        errors.append({"field": "direction", "message": _("Sent or received?")})
    content_type = ""
    if file is None:
        errors.append({"field": "file", "message": _("Choose the file.")})
    elif (file.size or 0) > settings.SERVICES_UPLOAD_MAX_BYTES:
        errors.append(
            {
                "field": "file",
                "message": _("The file is larger than %(size)s.")
                % {"size": filesizeformat(settings.SERVICES_UPLOAD_MAX_BYTES)},
            }
        )
    else:
        file.seek(0)
        head = file.read(8)
        file.seek(0)
        content_type = next((t for s, t in SIGNATURES.items() if head.startswith(s)), "")
        if not content_type:
            errors.append({"field": "file", "message": _("Upload a JPEG or PNG image or a PDF.")})
    if errors:
        raise ValidationFailed(errors=errors)
    assert file is not None
    with transaction.atomic():
        document = ProjectDocument.objects.create(
            project=project, title=clean, direction=direction, file=file, content_type=content_type
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=document,
            after=snapshot(document, ["project", "title", "direction", "content_type"]),
        )
    return document
