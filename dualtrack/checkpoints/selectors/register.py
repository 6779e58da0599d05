"""Reads of the passage register: a checkpoint's passages, one passage, the self-registrations
waiting for a temperature."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from dualtrack.checkpoints.access import Ability, require_checkpoint
from dualtrack.checkpoints.models import Checkpoint, Passage
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.core.selectors import MAX_PAGE_SIZE, page_size


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware start and end of a local day."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=1)


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _require_register(user: User, checkpoint: Checkpoint) -> None:
    require_checkpoint(user, checkpoint, Ability.READ_REGISTER)


def passage_list_for(
    *,
    user: User,
    checkpoint: Checkpoint,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    after: int | None = None,
    limit: int = 50,
) -> list[Passage]:
    """The register of one checkpoint, newest first, one keyset page (``after`` = last id seen).

    Rows carry ID numbers and phones; show them through ``masked_*`` unless
    the user may view personal data there (and audit the unmasked view).
    """
    _require_register(user, checkpoint)
    qs = Passage.objects.filter(checkpoint=checkpoint)
    if since is not None:
        qs = qs.filter(occurred_at__gte=since)
    if until is not None:
        qs = qs.filter(occurred_at__lt=until)
    if after:
        anchor = Passage.objects.filter(pk=after, checkpoint=checkpoint).values("occurred_at")
        row = anchor.first()
        if row is not None:
            qs = qs.filter(
                Q(occurred_at__lt=row["occurred_at"])
                | Q(occurred_at=row["occurred_at"], pk__lt=after)
            )
    limit = page_size(limit)
    return list(qs.select_related("alert").order_by("-occurred_at", "-id")[:limit])


def passage_get_for(*, user: User, passage_id: int) -> Passage:
    """One passage of a checkpoint whose register the user may read, or NotFound."""
    passage = Passage.objects.select_related("checkpoint__area").filter(pk=passage_id).first()
    if passage is None:
        raise NotFound()
    _require_register(user, passage.checkpoint)
    return passage


def pending_self_registrations(*, user: User, checkpoint: Checkpoint) -> list[Passage]:
    """Self-registrations of the last day still awaiting the staff's temperature reading."""
    _require_register(user, checkpoint)
    since = timezone.now() - datetime.timedelta(days=1)
    return list(
        Passage.objects.filter(
            checkpoint=checkpoint, temperature__isnull=True, occurred_at__gte=since
        ).order_by("occurred_at", "id")[:MAX_PAGE_SIZE]
    )
