"""System checks that refuse a production deployment running on development or malformed secrets."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

FIELD_KEY_BYTES = 32  # AES-256-GCM and the HMAC lookup both take a 32-byte key
KEY_HINT = (
    'Make one with: python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"'
)


def field_key_problem(value: object) -> str | None:
    """Why ``value`` is not base64 of exactly 32 bytes, or None if it is."""
    if not isinstance(value, str) or not value.strip():
        return "is empty"
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return "is not base64"
    if len(raw) != FIELD_KEY_BYTES:
        return f"is {len(raw)} bytes, not {FIELD_KEY_BYTES}"
    return None


@register(Tags.security, deploy=True)
def production_secrets(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        errors.append(Error("SECRET_KEY is the development key.", id="dualtrack.E001"))
    if settings.FIELD_ENCRYPTION_KEY == settings.DEV_FIELD_KEY:
        errors.append(Error("FIELD_ENCRYPTION_KEY is the development key.", id="dualtrack.E002"))
    if settings.FIELD_LOOKUP_KEY == settings.DEV_LOOKUP_KEY:
        errors.append(Error("FIELD_LOOKUP_KEY is the development key.", id="dualtrack.E003"))
    if settings.DEBUG:
        errors.append(Error("DEBUG is on.", id="dualtrack.E004"))
    # A malformed key would pass start-up and fail every encrypt or lookup at run time.
    for name, check_id in (
        ("FIELD_ENCRYPTION_KEY", "dualtrack.E005"),
        ("FIELD_LOOKUP_KEY", "dualtrack.E006"),
    ):
        problem = field_key_problem(getattr(settings, name))
        if problem is not None:
            errors.append(
                Error(
                    f"{name} {problem}; it must be base64 of {FIELD_KEY_BYTES} random bytes.",
                    hint=KEY_HINT,
                    id=check_id,
                )
            )
    return errors
