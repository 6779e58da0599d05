"""A stored file as the answer of a page or an API route: an attachment, of the content type it
was checked to be, never sniffed as another, never kept in a cache (it is personal data)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from dualtrack.jobs.services.tickets import TicketFile


def attachment(file: TicketFile) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=file.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
