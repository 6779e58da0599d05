"""One-time codes that prove a mobile is the job seeker's (or the introducer's).

The page that asks for the code holds an unguessable key; the database keeps the key's and the
code's keyed digests only. A code lives ``CODE_MINUTES``, is tried ``MAX_ATTEMPTS`` times at most
and used once; one mobile is sent ``settings.JOBS_CODES_PER_MOBILE`` codes at most."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualtrack.core import ratelimit
from dualtrack.core.crypto import lookup_digest
from dualtrack.core.errors import DomainError, ValidationFailed
from dualtrack.jobs.models import Application, CodeChallenge, CodePurpose, Introducer
from dualtrack.jobs.sms import sender

CODE_MINUTES = 10
MAX_ATTEMPTS = 5


class TooManyCodes(DomainError):
    status = 429
    code = "too_many_codes"
    default_message = gettext_lazy(
        "Too many codes were sent to this mobile. Wait a while and try again."
    )


@dataclass(frozen=True)
class Issued:
    key: str  # what the page holds to name the challenge
    shown_code: str  # the code itself when the sender shows it (the demo), else ""


def _key_digest(key: str) -> str:
    return lookup_digest(f"jobs-code-key:{key}")


def _code_digest(key: str, code: str) -> str:
    return lookup_digest(f"jobs-code:{key}:{code}")


def require_code_allowance(mobile: str) -> None:
    """Count one code sent to ``mobile``; refuse past the allowance. Called before the caller's
    transaction, so that a refused request still counts."""
    if not ratelimit.allow(f"jobs-code:{lookup_digest(mobile)}", settings.JOBS_CODES_PER_MOBILE):
        raise TooManyCodes()


def code_issue(
    *,
    mobile: str,
    application: Application | None = None,
    introducer: Introducer | None = None,
) -> Issued:
    """Store a new challenge and send its code (inside the caller's transaction)."""
    key = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(1_000_000):06d}"
    CodeChallenge.objects.create(
        purpose=CodePurpose.APPLICATION if application is not None else CodePurpose.INTRODUCER,
        application=application,
        introducer=introducer,
        key_digest=_key_digest(key),
        code_digest=_code_digest(key, code),
        expires_at=timezone.now() + datetime.timedelta(minutes=CODE_MINUTES),
    )
    return Issued(key=key, shown_code=sender().deliver(mobile=mobile, code=code))


def _refused(message: str, code: str) -> ValidationFailed:
    return ValidationFailed.for_field("code", message, code=code)


def code_check(*, key: str, code: str, purpose: CodePurpose) -> CodeChallenge:
    """The challenge ``key`` names, once ``code`` matches it; a wrong code counts an attempt
    (kept even though the request is refused)."""
    text = (code or "").strip()
    if not text:
        raise _refused(_("Enter the code sent to your mobile."), "code_missing")
    with transaction.atomic():
        challenge = (
            CodeChallenge.objects.select_for_update()
            .filter(key_digest=_key_digest(key or ""), purpose=purpose)
            .first()
        )
        if challenge is None or challenge.used_at is not None:
            raise _refused(_("This code is no longer valid. Ask for a new one."), "code_stale")
        if challenge.expires_at < timezone.now():
            raise _refused(_("The code has expired. Ask for a new one."), "code_expired")
        if challenge.attempts >= MAX_ATTEMPTS:
            raise _refused(_("Too many wrong codes. Ask for a new one."), "code_attempts")
        if not secrets.compare_digest(challenge.code_digest, _code_digest(key, text)):
            challenge.attempts += 1
            challenge.save(update_fields=["attempts"])
            wrong = True
        else:
            challenge.used_at = timezone.now()
            challenge.save(update_fields=["used_at"])
            wrong = False
    if wrong:
        raise _refused(_("The code is wrong."), "code_wrong")
    return challenge
