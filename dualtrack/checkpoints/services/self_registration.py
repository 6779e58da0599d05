"""A resident registers on their own phone from the checkpoint's QR code, without an account."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from dualtrack.checkpoints.models import (
    Checkpoint,
    Passage,
    PassageSource,
)
from dualtrack.checkpoints.services.passage_input import (
    PassageInput,
    clean_passage,
    validation_failed,
)
from dualtrack.checkpoints.services.passages import client_id_stored, require_open, write_passage
from dualtrack.core.errors import (
    DomainError,
)


class StaleToken(DomainError):
    """The QR code's link was rotated, or never existed."""

    status = 410
    code = "stale_token"
    default_message = gettext_lazy(
        "This QR code is no longer valid. Scan the current poster at the checkpoint, "
        "or register with the staff."
    )


def checkpoint_for_token(token: str) -> Checkpoint:
    """The checkpoint a QR link points at, or StaleToken."""
    checkpoint = (
        Checkpoint.objects.select_related("area").filter(qr_token=token).first() if token else None
    )
    if checkpoint is None:
        raise StaleToken()
    return checkpoint


def passage_self_register(*, token: str, data: PassageInput) -> Passage | None:
    """A resident registers on their own phone from the checkpoint's QR code, without an
    account; the staff take the temperature when the person reaches the gate.

    A client id already stored (a retry, or anyone's guess) answers None, "already received":
    nothing of the stored row, not even at which checkpoint, goes back to the public."""
    checkpoint = checkpoint_for_token(token)
    if client_id_stored(data.client_id):
        return None
    require_open(checkpoint)
    now = timezone.now()
    self_data = PassageInput(
        **{
            **data.__dict__,
            # The time is the server's and the reading the staff's: a form cannot vouch for them.
            "occurred_at": None,
            "temperature": None,
            "resident_id": None,
            "previous_passage_id": None,
        }
    )
    clean, errors = clean_passage(self_data, now=now, temperature_required=False)
    if clean is None:
        raise validation_failed(errors)
    passage = write_passage(
        checkpoint=checkpoint, clean=clean, source=PassageSource.SELF, actor=None, now=now
    )
    return None if getattr(passage, "was_stored", False) else passage
