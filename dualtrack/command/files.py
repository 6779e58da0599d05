"""The files of directives (issued with them, or a part's closing evidence): which kinds are
taken, each checked by its first bytes against its name's extension when uploaded, and served
only as the kind it was checked to be (never sniffed as another)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from dualtrack.command.models import DirectiveAttachment
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.media_types import JPEG, PDF, PNG, XLSX

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# By extension: the media type it is served as, and what its first bytes must be.
KINDS: dict[str, tuple[str, bytes]] = {
    ".pdf": (PDF, b"%PDF-"),
    ".jpg": (JPEG, b"\xff\xd8\xff"),
    ".jpeg": (JPEG, b"\xff\xd8\xff"),
    ".png": (PNG, b"\x89PNG\r\n\x1a\n"),
    ".docx": (DOCX, _ZIP),
    ".xlsx": (XLSX, _ZIP),
    ".doc": (DOC, _OLE),
}
FILE_EXTENSIONS = tuple(KINDS)
MAX_FILES = 5


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def check_files(files: Sequence[UploadedFile[bytes]], field: str) -> None:
    """At most MAX_FILES files, each of a kind taken, within the size limit, whose first bytes
    are those of its kind (a renamed executable is refused)."""
    if len(files) > MAX_FILES:
        raise ValidationFailed.for_field(field, _("At most %(n)d files.") % {"n": MAX_FILES})
    for file in files:
        kind = KINDS.get(_extension(file.name or ""))
        if kind is None:
            raise ValidationFailed.for_field(
                field,
                _("Upload a file of one of these types: %(types)s.")
                % {"types": " ".join(FILE_EXTENSIONS)},
            )
        if (file.size or 0) > settings.UPLOAD_MAX_BYTES:
            raise ValidationFailed.for_field(field, _("The file is too large."))
        file.seek(0)
        head = file.read(len(kind[1]))
        file.seek(0)
        if head != kind[1]:
            raise ValidationFailed.for_field(
                field,
                _("%(name)s is not the kind of file its name says.") % {"name": file.name},
            )


@dataclass(frozen=True)
class StoredFile:
    content: bytes
    content_type: str
    filename: str


def attachment_read(attachment: DirectiveAttachment) -> StoredFile:
    """The stored file, as the kind its name was checked to be at upload; 409 when it is
    missing or its first bytes are no longer those of that kind."""
    extension = _extension(attachment.file.name or "")
    kind = KINDS.get(extension)
    content = b""
    if kind is not None:
        try:
            with attachment.file.open("rb") as stored:
                content = stored.read(settings.UPLOAD_MAX_BYTES + 1)
        except OSError:
            content = b""
    if kind is None or not content.startswith(kind[1]):
        raise Conflict(
            _("The stored file is missing or not what was uploaded."),
            code="attachment_file_unusable",
        )
    return StoredFile(content, kind[0], f"attachment-{attachment.pk}{extension}")


def file_response(file: StoredFile) -> HttpResponse:
    """The file as an attachment of its checked type, never sniffed, never cached."""
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=file.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
