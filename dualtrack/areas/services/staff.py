"""Writing staff accounts: the people who sign in, before any role is granted to them."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualtrack.areas import access
from dualtrack.areas.models import Area
from dualtrack.areas.scoping import Permission
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.models import AuditAction, User

# The audit trail records who the account is, never its password hash.
AUDITED_FIELDS = ["username", "display_name", "is_active"]
USERNAME_MAX = 150
DISPLAY_NAME_MAX = 100


def _username_taken() -> ValidationFailed:
    return ValidationFailed.for_field(
        "username", _("This username is already taken."), code="username_taken"
    )


def staff_user_create(*, actor: User, username: str, display_name: str, password: str) -> User:
    """Open a staff account with an initial password; it sees nothing until a role is granted."""
    root = Area.objects.get(parent__isnull=True)
    access.require(actor, root, Permission.MANAGE_ORGANISATION)
    username = (username or "").strip()
    display_name = (display_name or "").strip()
    errors: list[dict[str, str]] = []
    if not username:
        errors.append({"field": "username", "message": _("Enter a username.")})
    elif len(username) > USERNAME_MAX:
        errors.append(
            {"field": "username", "message": _("At most %(n)d characters.") % {"n": USERNAME_MAX}}
        )
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as exc:
            errors.append({"field": "username", "message": exc.messages[0]})
    if not display_name:
        errors.append({"field": "display_name", "message": _("Enter the person's name.")})
    elif len(display_name) > DISPLAY_NAME_MAX:
        errors.append(
            {
                "field": "display_name",
                "message": _("At most %(n)d characters.") % {"n": DISPLAY_NAME_MAX},
            }
        )
    candidate = User(username=username, display_name=display_name)
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as exc:
        errors.extend({"field": "password", "message": message} for message in exc.messages)
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        # Usernames differ by more than letter case, so that nobody signs in as a look-alike.
        if User.objects.filter(username__iexact=username).exists():
            raise _username_taken()
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=username, password=password, display_name=display_name
                )
        except IntegrityError as exc:  # a concurrent creation of the same username
            raise _username_taken() from exc
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=user,
            area_code=root.code,
            after=snapshot(user, AUDITED_FIELDS),
        )
    return user
