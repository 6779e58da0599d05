"""What the enterprises' page views share."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from dualtrack.core.media_types import XLSX


def download(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
