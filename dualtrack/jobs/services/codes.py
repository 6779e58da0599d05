"""One-time codes that prove a mobile is the job seeker's (or the introducer's).

The page that asks for the code holds an unguessable key; the database keeps the key's and the
code's keyed digests only. A code lives ``CODE_MINUTES``, is tried ``MAX_ATTEMPTS`` times at most
and used once; one mobile is sent ``settings.JOBS_CODES_PER_MOBILE`` codes at most."""

from __future__ import annotations

import datetime
import functools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualtrack.core import ratelimit, sql
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
    # Each mobile's first code opens a window: the per-address limit counted before (on every
    # public route) drops the ended windows, not each new mobile.
    key = f"jobs-code:{lookup_digest(mobile)}"
    if not ratelimit.allow(key, settings.JOBS_CODES_PER_MOBILE, purge=False):
        raise TooManyCodes()


def code_issue(
    *,
    mobile: str,
    application: Application | None = None,
    introducer: Introducer | None = None,
    before: Sequence[sql.Row] = (),
    records: Sequence[models.Model] = (),
) -> Issued:
    """Store a new challenge and send its code (inside the caller's transaction). ``before``
    (the caller's rows the challenge refers to: the applicant, the application) and
    ``records`` (its step and audit entry) are inserted in the challenge's statement."""
    key = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(1_000_000):06d}"
    challenge = CodeChallenge(
        purpose=CodePurpose.APPLICATION if application is not None else CodePurpose.INTRODUCER,
        application=application,
        introducer=introducer,
        key_digest=_key_digest(key),
        code_digest=_code_digest(key, code),
        expires_at=timezone.now() + datetime.timedelta(minutes=CODE_MINUTES),
    )
    # On the public route under load: one constant statement (see core.sql.insert_all).
    sql.insert_all(*before, challenge, *records)
    return Issued(key=key, shown_code=sender().deliver(mobile=mobile, code=code))


def _refused(message: str, code: str) -> ValidationFailed:
    return ValidationFailed.for_field("code", message, code=code)


@functools.cache
def _use_statement() -> str:
    qn = connection.ops.quote_name
    used, expires, attempts = qn("used_at"), qn("expires_at"), qn("attempts")
    return (
        f"UPDATE {qn(CodeChallenge._meta.db_table)} SET {used} = %s "  # noqa: S608
        f"WHERE {qn('key_digest')} = %s AND {qn('purpose')} = %s AND {used} IS NULL "
        f"AND {expires} >= %s AND {attempts} < %s AND {qn('code_digest')} = %s "
        f"RETURNING {qn('id')}, {qn('application_id')}, {qn('introducer_id')}"
    )


def code_use(key: str, code: str, purpose: CodePurpose) -> tuple[str, list[Any]] | None:
    """The statement that uses the right code of a live challenge (answering the challenge's id,
    application and introducer; nothing for any other code) and its parameters, for a caller
    that reads on from the challenge in the same statement; None for an empty code. Anything
    but a used code then goes through ``code_check``, which says what is wrong."""
    key, text = key or "", (code or "").strip()
    if not text:
        return None
    now = CodeChallenge._meta.get_field("used_at").get_db_prep_save(timezone.now(), connection)
    digests = [_key_digest(key), str(purpose), now, MAX_ATTEMPTS, _code_digest(key, text)]
    return _use_statement(), [now, *digests]


def _use(key: str, text: str, purpose: CodePurpose) -> CodeChallenge | None:
    """The right code of a live challenge, used in one statement; None for anything else (the
    caller then finds out what, and counts a wrong code)."""
    use = code_use(key, text, purpose)
    row = None if use is None else sql.fetch_one(*use)
    if row is None:
        return None
    return CodeChallenge(pk=row[0], purpose=purpose, application_id=row[1], introducer_id=row[2])


def code_check(*, key: str, code: str, purpose: CodePurpose) -> CodeChallenge:
    """The challenge ``key`` names, once ``code`` matches it; a wrong code counts an attempt
    (kept even though the request is refused). The right code of a live challenge is one
    constant statement; anything else takes the reads below, which say what is wrong."""
    text = (code or "").strip()
    if not text:
        raise _refused(_("Enter the code sent to your mobile."), "code_missing")
    used = _use(key or "", text, purpose)
    if used is not None:
        return used
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
