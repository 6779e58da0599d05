"""An enterprise's own portal login: it signs up, its town approves or rejects."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import RoleGrant
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises import access
from dualtrack.enterprises.models import (
    Enterprise,
    EnterpriseMember,
    EnterpriseSignup,
    SignupStatus,
)
from dualtrack.enterprises.services import fields

SUFFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read out over the phone


def _inactive_login(login: str, *, password: str, display_name: str) -> User:
    """The inactive login of a sign-up: the name asked for, or, when any account already has it,
    that name with a random suffix. The public page answers the same either way (the town tells
    the contact the login name when it approves), so that it never says whether an account
    exists."""
    candidates = [login] + [
        f"{login[:140]}-{''.join(secrets.choice(SUFFIX_ALPHABET) for _ in range(5))}"
        for _ in range(8)
    ]
    for candidate in candidates:
        if User.objects.filter(username__iexact=candidate).exists():
            continue
        try:
            with transaction.atomic():
                return User.objects.create_user(
                    username=candidate,
                    password=password,
                    display_name=display_name,
                    is_active=False,
                )
        except IntegrityError:  # taken at the same moment by another sign-up
            continue
    raise Conflict(_("The request could not be recorded; please try again."), code="retry")


def signup_submit(
    *, credit_code: str, contact_name: str, contact_phone: str, username: str, password: str
) -> EnterpriseSignup:
    """A public request for a portal login of a registered enterprise; the login stays inactive
    until the enterprise's town approves it. Whether the username asked for belongs to another
    account is never said (see ``_inactive_login``)."""
    errors: fields.Errors = []
    code = fields.credit_code(errors, credit_code)
    name = fields.text(errors, "contact_name", contact_name, 50, required=True)
    phone = fields.mobile(errors, "contact_phone", contact_phone, required=True)
    login = fields.text(errors, "username", username, 150, required=True)
    enterprise = Enterprise.objects.select_related("area").filter(credit_code=code).first()
    if code and enterprise is None:
        errors.append(
            {
                "field": "credit_code",
                "message": _(
                    "No enterprise with this credit code is registered in the district; "
                    "ask your town to register it first."
                ),
            }
        )
    try:
        validate_password(password or "", User(username=login))
    except ValidationError as exc:
        errors.extend({"field": "password", "message": m} for m in exc.messages)
    fields.raise_if(errors)
    assert enterprise is not None
    with transaction.atomic():
        user = _inactive_login(login, password=password, display_name=name)
        signup = EnterpriseSignup.objects.create(
            enterprise=enterprise, user=user, contact_name=name, contact_phone=phone
        )
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            instance=signup,
            area_code=enterprise.area.code,
            after=snapshot(signup),
        )
    return signup


def signup_decide(
    *, actor: User, signup: EnterpriseSignup, approve: bool, reason: str = ""
) -> EnterpriseSignup:
    """Approve a sign-up (its login becomes the enterprise's) or reject it with a reason."""
    access.require_decide_signup(actor, signup)
    errors: fields.Errors = []
    clean_reason = fields.text(errors, "reason", reason, 300, required=not approve)
    fields.raise_if(errors)
    with transaction.atomic():
        current = EnterpriseSignup.objects.select_for_update().get(pk=signup.pk)
        if current.status != SignupStatus.PENDING:
            raise Conflict(_("This sign-up has already been decided."), code="already_decided")
        before = snapshot(current)
        current.status = SignupStatus.APPROVED if approve else SignupStatus.REJECTED
        current.reason = clean_reason
        current.decided_at = timezone.now()
        current.decided_by = actor
        current.save()
        if approve:
            user = current.user
            if RoleGrant.objects.filter(user=user).exists():
                # Given a district role while it waited: one login, two sights (access.py).
                raise Conflict(
                    _("This login holds a district role; an enterprise needs a login of its own."),
                    code="login_has_roles",
                )
            user.is_active = True
            user.save(update_fields=["is_active"])
            EnterpriseMember.objects.create(user=user, enterprise=current.enterprise)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            area_code=current.enterprise.area.code,
            before=before,
            after=snapshot(current),
        )
    return current
