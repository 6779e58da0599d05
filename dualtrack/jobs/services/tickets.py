"""Tickets of workers who came back on their own (for the transport subsidy): the enterprise
uploads the ticket (a JPEG or PNG image or a PDF, checked by its content, within
``TICKET_MAX_BYTES``) for a worker on its roster, and confirms the worker works there."""

from __future__ import annotations

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
