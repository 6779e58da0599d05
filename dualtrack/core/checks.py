"""System checks that refuse a production deployment running on development secrets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


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
    return errors
