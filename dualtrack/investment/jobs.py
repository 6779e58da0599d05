"""The investment pipeline's background work: exporting the pipeline in the owner's sight."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.jobs import Outcome, Progress
from dualtrack.core.media_types import XLSX
from dualtrack.core.models import Job
from dualtrack.investment import access, selectors


def pipeline_export_job(job: Job, progress: Progress) -> Outcome:
    # The workbook pulls in openpyxl: only the worker loads it, when a job asks.
    from dualtrack.investment.export import pipeline_xlsx

    access.require_see_pipeline(job.owner)
    rows = selectors.project_list_for(user=job.owner)
    return Outcome(
        summary=_("The workbook is ready."),
        figures={"rows": len(rows)},
        file=pipeline_xlsx(rows, progress),
        filename=f"pipeline-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX,
    )
