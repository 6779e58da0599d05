"""Tickets of workers who came back on their own (for the transport subsidy): the enterprise
uploads the ticket (a JPEG or PNG image or a PDF, checked by its content, within
``TICKET_MAX_BYTES``) for a worker on its roster, and confirms the worker works there. The file
opens (audited: it shows the worker's name and ID number) for those ``transport_access`` lets,
and for the worker through their personal link, only as the kind it was checked to be."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.models import Employee
from dualtrack.enterprises.services import fields
from dualtrack.jobs import transport_access as access
from dualtrack.jobs.models import Ticket
from dualtrack.jobs.services.transport import money

TICKET_MAX_BYTES = 5 * 1024 * 1024
# What a ticket's first bytes are, by the kind of file.
SIGNATURES = {
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"%PDF-": ("application/pdf", ".pdf"),
}


def _kind(errors: fields.Errors, file: UploadedFile[bytes] | None) -> tuple[str, str]:
    if file is None:
        errors.append({"field": "file", "message": _("Choose the ticket to upload.")})
        return "", ""
    if (file.size or 0) > TICKET_MAX_BYTES:
        errors.append(
            {
                "field": "file",
                "message": _("The ticket is larger than %(size)s.")
                % {"size": filesizeformat(TICKET_MAX_BYTES)},
            }
        )
        return "", ""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    errors.append(
        {"field": "file", "message": _("Upload the ticket as a JPEG or PNG image or a PDF.")}
    )
    return "", ""


def ticket_upload(
    *,
    actor: User,
    employee: Employee,
    route: Any,
    travel_date: Any,
    fare: Any,
    file: UploadedFile[bytes] | None,
) -> Ticket:
    """The enterprise uploads the ticket of a worker on its own roster."""
    enterprise = access.require_ticket_owner(actor, employee.enterprise)
    errors: fields.Errors = []
    clean_route = fields.text(errors, "route", route, 100, required=True)
    day = fields.date(errors, "travel_date", travel_date, required=True)
    amount = money(errors, "fare", fare, maximum=Decimal("100000"))
    content_type, extension = _kind(errors, file)
    fields.raise_if(errors)
    assert file is not None and day is not None
    with transaction.atomic():
        ticket = Ticket(
            enterprise=enterprise,
            employee=employee,
            route=clean_route,
            travel_date=day,
            fare=amount,
            content_type=content_type,
        )
        ticket.file.save(f"ticket-{employee.pk}{extension}", file, save=False)
        ticket.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=ticket,
            area_code=enterprise.area.code,
            after=snapshot(ticket, ["route", "travel_date", "fare", "content_type"]),
        )
    return ticket


def ticket_confirm(*, actor: User, ticket: Ticket) -> Ticket:
    """The enterprise confirms the worker works there (still on its roster)."""
    access.require_ticket_owner(actor, ticket.enterprise)
    with transaction.atomic():
        current = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if current.confirmed_at is not None:
            raise Conflict(_("This ticket is already confirmed."), code="confirmed")
        if not Employee.objects.filter(pk=current.employee_id, enterprise=current.enterprise_id):
            raise ValidationFailed.for_field(
                "employee", _("This worker is no longer on the roster."), code="not_on_roster"
            )
        current.confirmed_at, current.confirmed_by = timezone.now(), actor
        current.save(update_fields=["confirmed_at", "confirmed_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            area_code=current.enterprise.area.code,
            after={"confirmed_at": current.confirmed_at.isoformat()},
        )
    return current


@dataclass(frozen=True)
class TicketFile:
    content: bytes
    content_type: str
    filename: str


_KINDS = {content_type: (signature, ext) for signature, (content_type, ext) in SIGNATURES.items()}


def _stored_file(ticket: Ticket) -> TicketFile:
    """The stored file, served only as what it was checked to be at upload: a content type of
    the three, and the first bytes of that type (never what a changed file would sniff as)."""
    kind = _KINDS.get(ticket.content_type)
    content = b""
    if kind is not None:
        try:
            with ticket.file.open("rb") as stored:
                content = stored.read(TICKET_MAX_BYTES + 1)
        except OSError:
            content = b""
    if kind is None or not content.startswith(kind[0]) or len(content) > TICKET_MAX_BYTES:
        raise Conflict(
            _("The stored file of this ticket is missing or not what was uploaded."),
            code="ticket_file_unusable",
        )
    return TicketFile(content, ticket.content_type, f"ticket-{ticket.pk}{kind[1]}")


def _opened(actor: User | None, ticket: Ticket, note: str) -> TicketFile:
    file = _stored_file(ticket)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.VIEW_PERSONAL_DATA,
            instance=ticket,
            area_code=ticket.enterprise.area.code,
            note=note,
        )
    return file


def ticket_file_open(*, actor: User, ticket: Ticket) -> TicketFile:
    """The ticket's file for the enterprise or district staff who may open it (audited)."""
    access.require_open_ticket_file(actor, ticket)
    return _opened(actor, ticket, "self-travel ticket file opened")


def ticket_file_open_by_worker(*, ticket: Ticket) -> TicketFile:
    """The worker's own ticket, found through their personal link (``ticket_of_worker``)."""
    return _opened(None, ticket, "self-travel ticket file opened by the worker's personal link")
