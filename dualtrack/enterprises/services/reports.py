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
    report_deadline,
)
from dualtrack.enterprises.services import fields
from dualtrack.enterprises.services.filings import _require_filer
from dualtrack.enterprises.services.working_copy import figures_touch


def daily_report_submit(
    *, actor: User, enterprise: Enterprise, date: Any, workers_on_duty: Any
) -> DailyReport:
    """Report the workers on duty at 24:00 of ``date`` (a day that has ended).

    The figure is due by DAILY_REPORT_DEADLINE_HOUR the next day. Until then, sending the same
    day again corrects it (a retry is harmless). After it, the first figure stands, since the
    district's figures and briefings have counted it: a new figure is kept beside it as reported
    late, for the town to see, and moves no headline. A first figure sent after the deadline
    counts, and shows as late. No figure exceeds the enterprise's workforce: the larger of its
    roster and its registered headcount."""
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
    if not errors:
        on_roster = enterprise.employees.count()
        workforce = max(on_roster, enterprise.normal_workforce)
        if workers > workforce:
            errors.append(
                {
                    "field": "workers_on_duty",
                    "message": _(
                        "%(n)s workers on duty is more than the enterprise has: %(roster)s on "
                        "its roster, %(registered)s registered. Add the new workers to the "
                        "roster first."
                    )
                    % {
                        "n": workers,
                        "roster": on_roster,
                        "registered": enterprise.normal_workforce,
                    },
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
    now = timezone.now()
    with transaction.atomic():
        report, created = DailyReport.objects.select_for_update().get_or_create(
            enterprise=enterprise,
            date=day,
            defaults={"workers_on_duty": workers, "reported_at": now, "reported_by": actor},
        )
        before = None if created else snapshot(report)
        if not created and now > report_deadline(day):
            report.late_workers_on_duty = workers
            report.late_reported_at = now
            report.save(update_fields=["late_workers_on_duty", "late_reported_at"])
        elif not created:
            report.workers_on_duty = workers
            report.reported_at = now
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
