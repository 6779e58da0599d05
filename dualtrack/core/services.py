"""Writes of the shared kernel: a user's language and API tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core import sql
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, NotFound, ValidationFailed
from dualtrack.core.models import ApiToken, AuditAction, Language, User

TOKEN_PREFIX = "dt_"  # noqa: S105  (a public prefix, not a secret)


def token_digest(raw: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


def user_set_language(*, actor: User, language: str) -> User:
    """Remember the user's language for pages and API messages."""
    if language not in Language.values:
        raise ValidationFailed.for_field("language", _("Choose a language from the list."))
    with transaction.atomic():
        before = snapshot(actor, ["language"])
        actor.language = language
        actor.save(update_fields=["language"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=actor,
            before=before,
            after=snapshot(actor, ["language"]),
        )
    return actor


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown to the user once, never stored


def api_token_create(*, actor: User, name: str) -> IssuedToken:
    """Issue a token for a device or script; it acts with exactly the user's scope."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.for_field("name", _("Name the token after its device or script."))
    if len(name) > 100:
        raise ValidationFailed.for_field("name", _("At most %(n)d characters.") % {"n": 100})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        if actor.api_tokens.filter(name=name, revoked_at__isnull=True).exists():
            raise Conflict(
                _("You already have an active token with this name."), code="token_name_taken"
            )
        token = ApiToken.objects.create(
            user=actor, name=name, prefix=raw[:10], digest=token_digest(raw)
        )
        audit_record(actor=actor, action=AuditAction.CREATE, instance=token, after=snapshot(token))
    return IssuedToken(token=token, raw=raw)


def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; it stops working at once."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=actor, pk=token_id).first()
        if token is None:
            raise NotFound()
        if token.revoked_at is not None:
            raise Conflict(_("This token is already revoked."), code="token_revoked")
        before = snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=token,
            before=before,
            after=snapshot(token),
        )
    return token


@functools.cache
def _token_sql() -> tuple[str, sql.Loader[User]]:
    user = sql.loader(User, "u")
    return (
        f"SELECT t.id, t.last_used_at, {user.columns} FROM {ApiToken._meta.db_table} t "  # noqa: S608
        f"JOIN {User._meta.db_table} u ON u.id = t.user_id "
        "WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active = %s"
    ), user


_TOKEN_USED_SQL = f"UPDATE {ApiToken._meta.db_table} SET last_used_at = %s WHERE id = %s"  # noqa: S608


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or None; notes its use at most once a minute.

    Every API call of a device or script starts here, so the reads are by hand (core.sql)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    statement, user_of = _token_sql()
    row = sql.fetch_one(statement, [token_digest(raw), True])
    if row is None:
        return None
    token_id, last_used_at, *user_values = row
    now = timezone.now()
    last_used_at = sql.aware(last_used_at)
    if last_used_at is None or (now - last_used_at).total_seconds() > 60:
        with sql.cursor() as cursor:
            cursor.execute(
                _TOKEN_USED_SQL, [connection.ops.adapt_datetimefield_value(now), token_id]
            )
    return user_of(user_values)
