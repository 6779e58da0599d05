"""Retention: passages older than the configured period are deleted; the daily figures stay.

On PostgreSQL the register is partitioned by month: a month wholly older than the period goes as
one partition (with the alerts of its passages), instead of row by row; the rows of the month
the period ends in are deleted in batches as on SQLite."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from dualtrack.areas.models import Area
from dualtrack.areas.scoping import ROOT_CODE
from dualtrack.checkpoints.models import Alert, Passage
from dualtrack.core.audit import audit_record
from dualtrack.core.models import AuditAction
from dualtrack.core.partitions import drop_months_before

PURGE_BATCH = 5000


def passages_purge(*, older_than_days: int | None = None, batch_size: int = PURGE_BATCH) -> int:
    """Delete passages (and their alerts) older than the period; returns how many. Safe to run
    again at any time: each batch commits on its own, and a second run finds nothing left."""
    days = settings.PASSAGE_RETENTION_DAYS if older_than_days is None else older_than_days
    if days < 1:
        raise ValueError("The retention period is at least one day.")
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted = _drop_old_months(cutoff) if connection.vendor == "postgresql" else 0
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


def _drop_old_months(cutoff: datetime.datetime) -> int:
    """Drop the register's monthly partitions that end before the cutoff's local day, the alerts
    of their passages first (the alert's key to its passage is no database constraint); how many
    passages went."""
    alerts = connection.ops.quote_name(Alert._meta.db_table)

    def drop_alerts(partition: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {alerts} WHERE passage_id IN "  # noqa: S608 (names from code)
                f"(SELECT id FROM {connection.ops.quote_name(partition)})"
            )

    with transaction.atomic(), connection.cursor() as cursor:
        dropped = drop_months_before(
            cursor,
            Passage._meta.db_table,
            timezone.localdate(cutoff),
            before_drop=drop_alerts,
        )
    return sum(rows for _name, rows in dropped)
