"""The government services' background work: exporting the requests in the owner's sight."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.jobs import Outcome, Progress
from dualtrack.core.media_types import XLSX
from dualtrack.core.models import Job
from dualtrack.services import access, selectors


def requests_export_job(job: Job, progress: Progress) -> Outcome:
    # The workbook pulls in openpyxl: only the worker loads it, when a job asks.
    from dualtrack.services.export import EXPORT_LIMIT, requests_xlsx

    access.require_see_requests(job.owner)
    rows = list(selectors.requests_for_export(user=job.owner, limit=EXPORT_LIMIT))
    return Outcome(
        summary=_("The workbook is ready (mobiles masked)."),
        figures={"rows": len(rows)},
        file=requests_xlsx(rows, progress),
        filename=f"requests-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX,
    )
