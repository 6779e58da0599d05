"""Domain errors: raised by services and selectors, mapped to problem+json by the API and to
form errors by pages. Each carries a stable machine code and a translatable message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base of every expected failure; ``code`` is stable, ``message`` is for people."""

    status = 400
    code = "invalid"
    default_message = _("The request could not be processed.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        # Field-level details: [{"field": "id_number", "message": "..."}]
        self.errors = errors or []
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    default_message = _("Some values are not valid.")

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str | None = None) -> ValidationFailed:
        return cls(message, code=code, errors=[{"field": field, "message": str(message)}])


class NotFound(DomainError):
    """Also raised for records outside the user's scope, so that their existence does not leak."""

    status = 404
    code = "not_found"
    default_message = _("No such record, or it is outside your scope.")


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = _("Your role does not allow this action.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("The record conflicts with an existing one.")


class QueuedByAnotherUser(Conflict):
    """Rows a phone shared by several users queued for one of them, sent in another's session:
    nothing is written, and the rows stay on the phone for their owner."""

    code = "queued_by_another_user"
    default_message = _(
        "These records were made on this device by another user; they are kept on the device "
        "until that user signs in again."
    )


def require_own_queue(actor_id: int, queued_by: int | None) -> None:
    """Refuse a queue that names another user than the caller (``None``: not a phone's queue)."""
    if queued_by is not None and queued_by != actor_id:
        raise QueuedByAnotherUser()


def require_text(field: str, value: object, *, max_length: int, required: bool = True) -> str:
    """``checked_text`` for a service that refuses at the first bad field: the stripped text, or
    ValidationFailed on ``field``."""
    from dualtrack.core.validators import checked_text

    text, problem = checked_text(value, max_length=max_length, required=required)
    if problem is not None:
        raise ValidationFailed.for_field(field, problem, code="invalid_text")
    return text
