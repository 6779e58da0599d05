"""Health's background work: one handler per job kind (registered in apps.py)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.jobs import Outcome, Progress
from dualtrack.core.media_types import XLSX
from dualtrack.core.models import Job


def quarantine_orders_export_job(job: Job, progress: Progress) -> Outcome:
    from dualtrack.health.selectors.quarantine import OrderFilters
    from dualtrack.health.services.quarantine_exports import orders_export

    filters = OrderFilters(**job.params.get("filters", {}))
    content, count = orders_export(actor=job.owner, filters=filters, progress=progress)
    return Outcome(
        summary=_(
            "%(n)d orders exported. The workbook holds full ID numbers and mobiles: keep it "
            "safe and delete it when done."
        )
        % {"n": count},
        file=content,
        filename=f"quarantine-orders-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX,
    )
