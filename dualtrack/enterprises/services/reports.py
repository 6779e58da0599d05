"""Daily reports of workers on duty, and the 24:00 snapshot of the district's figures."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.figures import cell_key, snapshot_cells
from dualtrack.enterprises.models import (
    DailyReport,
    DailySnapshot,
    Enterprise,
    ResumptionStatus,
)
from dualtrack.enterprises.services import fields
from dualtrack.enterprises.services.filings import _require_filer
from dualtrack.enterprises.services.working_copy import figures_touch


def daily_report_submit(
    *, actor: User, enterprise: Enterprise, date: Any, workers_on_duty: Any
) -> DailyReport:
    """Report the workers on duty at 24:00 of ``date`` (a day that has ended). Sending the same
    day again corrects the figure: a retry is harmless."""
    _require_filer(actor, enterprise)
    errors: fields.Errors = []
    day = fields.date(errors, "date", date, required=True)
    workers = fields.count(errors, "workers_on_duty", workers_on_duty)
    today = timezone.localdate()
    if day is not None and day >= today:
        errors.append(
            {
                "field": "date",
                "message": _(
                    "The figure is the number on duty at 24:00; report a day that has ended "
                    "(yesterday or earlier)."
                ),
            }
        )
    fields.raise_if(errors)
    assert day is not None
    if enterprise.status != ResumptionStatus.RESUMED or (
        enterprise.resumed_on is not None and day < enterprise.resumed_on
    ):
        raise Conflict(
            _("Only an enterprise that had resumed work on that day reports its workers."),
            code="not_resumed",
        )
    with transaction.atomic():
        report, created = DailyReport.objects.select_for_update().get_or_create(
            enterprise=enterprise,
            date=day,
            defaults={
                "workers_on_duty": workers,
                "reported_at": timezone.now(),
                "reported_by": actor,
            },
        )
        before = None if created else snapshot(report)
        if not created:
            report.workers_on_duty = workers
            report.reported_at = timezone.now()
            report.reported_by = actor
            report.save()
        if day == timezone.localdate() - datetime.timedelta(days=1):
            figures_touch([cell_key(enterprise)])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            instance=report,
            area_code=enterprise.area.code,
            before=before,
            after=snapshot(report),
        )
    return report


def is_late(report: DailyReport) -> bool:
    """Reported after the deadline hour of the next day."""
    from django.conf import settings

    deadline = timezone.make_aware(
        datetime.datetime.combine(
            report.date + datetime.timedelta(days=1),
            datetime.time(settings.DAILY_REPORT_DEADLINE_HOUR),
        )
    )
    return report.reported_at > deadline


def snapshot_freeze(*, date: datetime.date) -> int:
    """Freeze the district's figures of ``date`` (as at its 24:00) into snapshot rows.

    Running it again for the same day replaces that day's rows: a scheduler may retry freely.
    Run for today, it builds the day's working copy, which every write then keeps current.
    """
    # At 24:00 the day's own figure is not reported yet (due by noon the next day): workers on
    # duty are those reported for the previous day's 24:00, as on the figures page.
    cells = snapshot_cells(
        Enterprise.objects.all(), as_of=date, report_date=date - datetime.timedelta(days=1)
    )
    with transaction.atomic():
        DailySnapshot.objects.filter(date=date).delete()
        DailySnapshot.objects.bulk_create(
            [DailySnapshot(date=date, **cell) for cell in cells], batch_size=1000
        )
    return len(cells)
