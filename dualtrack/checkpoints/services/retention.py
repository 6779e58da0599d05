"""Retention: passages older than the configured period are deleted; the daily figures stay."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dualtrack.areas.models import Area
from dualtrack.areas.scoping import ROOT_CODE
from dualtrack.checkpoints.models import Passage
from dualtrack.core.audit import audit_record
from dualtrack.core.models import AuditAction

PURGE_BATCH = 5000


def passages_purge(*, older_than_days: int | None = None, batch_size: int = PURGE_BATCH) -> int:
    """Delete passages (and their alerts) older than the period; returns how many. Safe to run
    again at any time: each batch commits on its own, and a second run finds nothing left."""
    days = settings.PASSAGE_RETENTION_DAYS if older_than_days is None else older_than_days
    if days < 1:
        raise ValueError("The retention period is at least one day.")
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Passage.objects.filter(occurred_at__lt=cutoff)
                .order_by("occurred_at")
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                break
            # Alerts go with their passage (on_delete=CASCADE); figures are separate rows.
            Passage.objects.filter(pk__in=ids).delete()
            deleted += len(ids)
    root = Area.objects.filter(code=ROOT_CODE).first()
    if root is not None:
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            instance=root,
            area_code=root.code,
            after={"passages_purged": deleted, "older_than_days": days},
            note=f"purge_passages: {deleted} passages before {cutoff:%Y-%m-%d %H:%M} UTC",
        )
    return deleted
