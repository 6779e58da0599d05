"""Requests by channel (全网办、邮寄办、电话办): filing online with the documents uploaded, by post
(accepted when the documents arrive, their postal tracking number recorded) or by phone (staff
record the call); the steps to done or refused; the applicant's rating.

A request is accepted at once, at any hour (24小时受理), and its time limit counted in working
days from the first day the calendar counts (``workdays.Calendar.counted_from``). Every request
gets a tracking number and a personal link through which the applicant follows it."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import Conflict, NotFound, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.models import Enterprise
from dualtrack.enterprises.services import fields
from dualtrack.services import access
from dualtrack.services.models import (
    Channel,
    Matter,
    RequestDocument,
    RequestEvent,
    ServiceRequest,
    ServiceRequestStatus,
)
from dualtrack.services.services.calendar import calendar

# What a document's first bytes are, by the kind of file (checked by content, never by name).
SIGNATURES = {
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"%PDF-": ("application/pdf", ".pdf"),
}


def link_digest(token: str) -> str:
    return lookup_digest(f"services-link:{token}")


@dataclass(frozen=True)
class Applicant:
    name: str
    mobile: str


def clean_applicant(errors: fields.Errors, name: Any, mobile: Any) -> Applicant:
    return Applicant(
        fields.text(errors, "applicant_name", name, 100, required=True),
        fields.mobile(errors, "mobile", mobile, required=True),
    )


def _require_channel(matter: Matter, channel: str) -> None:
    if not matter.active:
        raise NotFound()
    if not matter.accepts(channel):
        raise ValidationFailed.for_field(
            "channel",
            _("This matter is not accepted %(channel)s.") % {"channel": Channel(channel).label},
            code="channel_not_accepted",
        )


def _document_kind(errors: fields.Errors, field: str, file: UploadedFile[bytes] | None) -> str:
    if file is None:
        errors.append({"field": field, "message": _("Upload this document.")})
        return ""
    if (file.size or 0) > settings.SERVICES_UPLOAD_MAX_BYTES:
        errors.append(
            {
                "field": field,
                "message": _("The file is larger than %(size)s.")
                % {"size": filesizeformat(settings.SERVICES_UPLOAD_MAX_BYTES)},
            }
        )
        return ""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    for signature, (content_type, _extension) in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    errors.append(
        {"field": field, "message": _("Upload the document as a JPEG or PNG image or a PDF.")}
    )
    return ""


def _documents_received(
    errors: fields.Errors, matter: Matter, received: Sequence[Any]
) -> list[str]:
    names = [str(n) for n in received]
    missing = [d for d in matter.documents if d not in names]
    unknown = [n for n in names if n not in matter.documents]
    if unknown:
        errors.append(
            {
                "field": "documents",
                "message": _("Not a document of this matter: %(names)s.")
                % {"names": "、".join(unknown)},
            }
        )
    if missing:
        errors.append(
            {
                "field": "documents",
                "message": _("Required documents are missing: %(names)s.")
                % {"names": "、".join(missing)},
            }
        )
    return list(matter.documents)


def _new(
    *,
    matter: Matter,
    channel: str,
    applicant: Applicant,
    enterprise: Enterprise | None,
    actor: User | None,
    status: str,
    documents_received: list[str],
    postal_tracking_no: str = "",
) -> tuple[ServiceRequest, str]:
    """Insert the request with its number and personal link; inside the caller's transaction."""
    now = timezone.now()
    token = secrets.token_urlsafe(24)
    request = ServiceRequest.objects.create(
        matter=matter,
        channel=channel,
        enterprise=enterprise,
        applicant_name=applicant.name,
        mobile=applicant.mobile,
        link_token=token,
        link_digest=link_digest(token),
        status=status,
        filed_at=now,
        documents_received=documents_received,
        postal_tracking_no=postal_tracking_no,
        recorded_by=actor,
    )
    request.tracking_no = f"FW{timezone.localtime(now):%Y%m%d}{request.pk:06d}"
    update = ["tracking_no"]
    if status == ServiceRequestStatus.ACCEPTED:
        _accept(request, now)
        update += ["accepted_at", "clock_starts_on", "due_on"]
    request.save(update_fields=update)
    RequestEvent.objects.create(request=request, status=status, at=now, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=request,
        area_code=matter.department.area.code,
        after=snapshot(request),
    )
    return request, token


def _accept(request: ServiceRequest, now: Any) -> None:
    cal = calendar()
    request.accepted_at = now
    request.clock_starts_on = cal.counted_from(timezone.localtime(now))
    request.due_on = cal.due_on(request.clock_starts_on, request.matter.time_limit_days)


def request_file_online(
    *,
    actor: User | None,
    matter: Matter,
    applicant_name: Any,
    mobile: Any,
    files: Sequence[UploadedFile[bytes] | None],
    enterprise: Enterprise | None = None,
) -> tuple[ServiceRequest, str]:
    """File a request online with every required document uploaded, one file each in the
    order of the matter's list; accepted at once. Returns the request and its personal link's
    token."""
    _require_channel(matter, Channel.ONLINE)
    errors: fields.Errors = []
    applicant = clean_applicant(errors, applicant_name, mobile)
    if len(files) > len(matter.documents):
        errors.append({"field": "files", "message": _("More files than documents needed.")})
    kinds = []
    for index in range(len(matter.documents)):
        file = files[index] if index < len(files) else None
        kinds.append(_document_kind(errors, f"doc_{index}", file))
    fields.raise_if(errors)
    with transaction.atomic():
        request, token = _new(
            matter=matter,
            channel=Channel.ONLINE,
            applicant=applicant,
            enterprise=enterprise,
            actor=actor,
            status=ServiceRequestStatus.ACCEPTED,
            documents_received=list(matter.documents),
        )
        for index, name in enumerate(matter.documents):
            file = files[index]
            assert file is not None
            RequestDocument.objects.create(
                request=request,
                name=name,
                file=file,
                content_type=kinds[index],
                size=file.size or 0,
            )
    return request, token


def request_file_post(
    *,
    actor: User | None,
    matter: Matter,
    applicant_name: Any,
    mobile: Any,
    enterprise: Enterprise | None = None,
) -> tuple[ServiceRequest, str]:
    """File a request to be sent by post: it waits for the documents, and is accepted when
    they arrive (``request_post_received``)."""
    _require_channel(matter, Channel.POST)
    errors: fields.Errors = []
    applicant = clean_applicant(errors, applicant_name, mobile)
    fields.raise_if(errors)
    with transaction.atomic():
        return _new(
            matter=matter,
            channel=Channel.POST,
            applicant=applicant,
            enterprise=enterprise,
            actor=actor,
            status=ServiceRequestStatus.AWAITING_POST,
            documents_received=[],
        )


def request_record_phone(
    *,
    actor: User,
    matter: Matter,
    applicant_name: Any,
    mobile: Any,
    documents: Sequence[Any],
) -> tuple[ServiceRequest, str]:
    """The department's staff record a request made by phone, with the documents they have
    (sent by fax or photo); accepted at once."""
    access.require_handle_department(actor, matter.department)
    _require_channel(matter, Channel.PHONE)
    errors: fields.Errors = []
    applicant = clean_applicant(errors, applicant_name, mobile)
    received = _documents_received(errors, matter, documents)
    fields.raise_if(errors)
    with transaction.atomic():
        return _new(
            matter=matter,
            channel=Channel.PHONE,
            applicant=applicant,
            enterprise=None,
            actor=actor,
            status=ServiceRequestStatus.ACCEPTED,
            documents_received=received,
        )


def _locked(request: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update()
        .select_related("matter__department__area")
        .get(pk=request.pk)
    )


def _step(
    request: ServiceRequest, *, actor: User | None, status: str, note: str = "", fields_: list[str]
) -> None:
    now = timezone.now()
    before = snapshot(request)
    request.status = status
    request.save(update_fields=["status", *fields_])
    RequestEvent.objects.create(request=request, status=status, at=now, note=note, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=request,
        area_code=request.matter.department.area.code,
        before=before,
        after=snapshot(request),
        note=note,
    )


def request_post_received(
    *, actor: User, request: ServiceRequest, postal_tracking_no: Any, documents: Sequence[Any]
) -> ServiceRequest:
    """The documents sent by post arrived: their postal tracking number is recorded, every
    required document must be there, and the request is accepted from that moment."""
    access.require_handle_request(actor, request)
    errors: fields.Errors = []
    postal = fields.text(errors, "postal_tracking_no", postal_tracking_no, 40, required=True)
    received = _documents_received(errors, request.matter, documents)
    fields.raise_if(errors)
    with transaction.atomic():
        locked = _locked(request)
        if locked.status != ServiceRequestStatus.AWAITING_POST:
            raise Conflict(
                _("This request is not waiting for documents by post."), code="not_awaiting"
            )
        locked.postal_tracking_no = postal
        locked.documents_received = received
        _accept(locked, timezone.now())
        _step(
            locked,
            actor=actor,
            status=ServiceRequestStatus.ACCEPTED,
            note=postal,
            fields_=[
                "postal_tracking_no",
                "documents_received",
                "accepted_at",
                "clock_starts_on",
                "due_on",
            ],
        )
    return locked


# The steps staff take, from which states.
STEPS: dict[str, tuple[str, ...]] = {
    ServiceRequestStatus.IN_PROGRESS: (
        ServiceRequestStatus.ACCEPTED,
        ServiceRequestStatus.NEEDS_MORE,
    ),
    ServiceRequestStatus.NEEDS_MORE: (
        ServiceRequestStatus.ACCEPTED,
        ServiceRequestStatus.IN_PROGRESS,
    ),
    ServiceRequestStatus.DONE: (ServiceRequestStatus.ACCEPTED, ServiceRequestStatus.IN_PROGRESS),
    ServiceRequestStatus.REFUSED: (
        ServiceRequestStatus.AWAITING_POST,
        ServiceRequestStatus.ACCEPTED,
        ServiceRequestStatus.IN_PROGRESS,
        ServiceRequestStatus.NEEDS_MORE,
    ),
}


def _resume(request: ServiceRequest) -> list[str]:
    """The documents asked for arrived (or the request is refused): the time limit runs again,
    its due day moved by the working days it was paused."""
    if request.paused_on is None or request.due_on is None:
        return []
    request.due_on, paused = calendar().resumed(
        request.due_on, request.paused_on, timezone.localdate()
    )
    request.paused_days += paused
    request.paused_on = None
    return ["due_on", "paused_days", "paused_on"]


def request_advance(
    *, actor: User, request: ServiceRequest, status: Any, note: Any = ""
) -> ServiceRequest:
    """Take a request one step: in progress, needs more (saying what), done, or refused (with
    the reason)."""
    access.require_handle_request(actor, request)
    errors: fields.Errors = []
    if status not in STEPS:
        errors.append(
            {
                "field": "status",
                "message": _("Choose a step: in progress, needs more, done or refused."),
            }
        )
    required = status in (ServiceRequestStatus.NEEDS_MORE, ServiceRequestStatus.REFUSED)
    text = fields.text(errors, "note", note, 300, required=required)
    fields.raise_if(errors)
    with transaction.atomic():
        locked = _locked(request)
        if locked.status not in STEPS[status]:
            raise Conflict(
                _("A request %(current)s cannot become %(next)s.")
                % {
                    "current": locked.get_status_display(),
                    "next": ServiceRequestStatus(status).label,
                },
                code="wrong_state",
            )
        changed = []
        if status == ServiceRequestStatus.NEEDS_MORE:
            locked.paused_on = timezone.localdate()
            changed.append("paused_on")
        elif locked.status == ServiceRequestStatus.NEEDS_MORE:
            changed += _resume(locked)
        if status in (ServiceRequestStatus.DONE, ServiceRequestStatus.REFUSED):
            locked.closed_at = timezone.now()
            changed.append("closed_at")
        if status == ServiceRequestStatus.REFUSED:
            locked.refusal_reason = text
            changed.append("refusal_reason")
        _step(locked, actor=actor, status=status, note=text, fields_=changed)
    return locked


def request_for_link(token: str) -> ServiceRequest:
    """The request a personal link belongs to; an unknown token is not found."""
    request = (
        ServiceRequest.objects.select_related("matter__department")
        .filter(link_digest=link_digest(token or ""))
        .first()
    )
    if request is None:
        raise NotFound()
    return request


def request_rate(
    *, actor: User | None, request: ServiceRequest, rating: Any, comment: Any = ""
) -> ServiceRequest:
    """The applicant rates a finished request, once (by the personal link, or the enterprise
    login that filed it)."""
    if actor is not None and not access.may_see_request(actor, request):
        raise NotFound()
    errors: fields.Errors = []
    score = fields.count(errors, "rating", rating, maximum=5)
    if not errors and score < 1:
        errors.append({"field": "rating", "message": _("Rate from 1 to 5.")})
    text = fields.text(errors, "comment", comment, 300, required=False)
    fields.raise_if(errors)
    with transaction.atomic():
        locked = _locked(request)
        if locked.status != ServiceRequestStatus.DONE:
            raise Conflict(_("Only a finished request can be rated."), code="not_done")
        if locked.rating is not None:
            raise Conflict(_("This request has been rated already."), code="rated")
        before = snapshot(locked)
        locked.rating = score
        locked.rating_comment = text
        locked.save(update_fields=["rating", "rating_comment"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=locked,
            area_code=locked.matter.department.area.code,
            before=before,
            after=snapshot(locked),
        )
    return locked
