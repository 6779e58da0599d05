"""The login of an approved volunteer: an account with the volunteer role on each village or
community they signed up to serve. Opened by the volunteers app's approval, which decides who
may approve; the account and its grants are written here, where the role grants live."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction

from dualtrack.areas.models import Area, Role, RoleGrant
from dualtrack.areas.scoping import ROLE_RULES
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.core.models import AuditAction, User

READABLE_LETTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def initial_password() -> str:
    """A one-time password the reviewer passes on; the volunteer changes it after signing in."""
    return "".join(secrets.choice(READABLE_LETTERS) for _ in range(12))


def volunteer_login_create(
    *, actor: User, username: str, display_name: str, villages: list[Area]
) -> tuple[User, str]:
    """Open the login (``username``, or it with a suffix when taken) and grant the volunteer
    role on each of ``villages``; returns the user and its initial password. The caller has
    checked that ``actor`` may approve the volunteer."""
    kinds = ROLE_RULES[Role.VOLUNTEER].area_kinds
    if not villages or any(v.kind not in kinds for v in villages):
        raise ValidationFailed.for_field("villages", "volunteer role on a village or community")
    password = initial_password()
    candidates = [username] + [f"{username}-{secrets.randbelow(10**4):04d}" for _ in range(8)]
    with transaction.atomic():
        user = None
        for candidate in candidates:
            if User.objects.filter(username__iexact=candidate).exists():
                continue
            try:
                with transaction.atomic():
                    user = User.objects.create_user(
                        username=candidate, password=password, display_name=display_name
                    )
                break
            except IntegrityError:  # taken at the same moment
                continue
        if user is None:
            raise Conflict(code="retry")
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=user,
            area_code=villages[0].code,
            after=snapshot(user, ["username", "display_name", "is_active"]),
        )
        for village in villages:
            grant = RoleGrant.objects.create(user=user, role=Role.VOLUNTEER, area=village)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                instance=grant,
                area_code=village.code,
                after=snapshot(grant),
            )
    return user, password
