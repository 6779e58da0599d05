"""Checking single values of the enterprises' forms, API bodies and import rows."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from dualtrack.core.errors import ValidationFailed
from dualtrack.core.validators import checked_text, normalize_mobile, normalize_uscc

Errors = list[dict[str, str]]


def text(errors: Errors, field: str, value: Any, max_length: int, *, required: bool) -> str:
    """``core.validators.checked_text`` (the platform's one rule for free text), its refusal
    collected in ``errors`` under ``field`` so that a form reports every bad field at once."""
    result, problem = checked_text(value, max_length=max_length, required=required)
    if problem is not None:
        errors.append({"field": field, "message": problem})
    return result


def credit_code(errors: Errors, value: Any, field: str = "credit_code") -> str:
    try:
        return normalize_uscc(("" if value is None else str(value)).strip().upper())
    except ValidationError as exc:
        errors.append({"field": field, "message": exc.messages[0]})
        return ""


def mobile(errors: Errors, field: str, value: Any, *, required: bool) -> str:
    raw = ("" if value is None else str(value)).strip()
    if not raw:
        if required:
            errors.append({"field": field, "message": _("This field is required.")})
        return ""
    try:
        return normalize_mobile(raw)
    except ValidationError as exc:
        errors.append({"field": field, "message": exc.messages[0]})
        return ""


def count(errors: Errors, field: str, value: Any, *, maximum: int = 10_000_000) -> int:
    """A whole number of people or days, not negative."""
    try:
        number = int(value)
        if isinstance(value, float) and not value.is_integer():
            raise ValueError
    except (TypeError, ValueError):
        errors.append({"field": field, "message": _("Enter a whole number.")})
        return 0
    if number < 0:
        errors.append({"field": field, "message": _("The number cannot be negative.")})
    elif number > maximum:
        errors.append({"field": field, "message": _("Must be at most %(n)s.") % {"n": maximum}})
    return number


def date(errors: Errors, field: str, value: Any, *, required: bool) -> datetime.date | None:
    if value in (None, ""):
        if required:
            errors.append({"field": field, "message": _("This field is required.")})
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append({"field": field, "message": _("Enter a date as YYYY-MM-DD.")})
        return None


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationFailed(errors=errors)


UPLOAD_EXTENSIONS = (".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png")
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")


def upload(
    errors: Errors, field: str, file: UploadedFile[bytes] | None, extensions: tuple[str, ...]
) -> None:
    """An uploaded document or photo: a known type, within settings.UPLOAD_MAX_BYTES."""
    if file is None:
        return
    name = (file.name or "").lower()
    if not name.endswith(extensions):
        errors.append(
            {
                "field": field,
                "message": _("Upload a file of one of these types: %(types)s.")
                % {"types": " ".join(extensions)},
            }
        )
    elif (file.size or 0) > settings.UPLOAD_MAX_BYTES:
        errors.append(
            {
                "field": field,
                "message": _("The file is larger than %(size)s.")
                % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            }
        )
