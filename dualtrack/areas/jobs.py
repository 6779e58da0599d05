"""The areas app's background work: importing residents."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dualtrack.areas.services.imports import residents_import
from dualtrack.core.jobs import Outcome, Problem, Progress, import_outcome, job_upload
from dualtrack.core.models import Job


def residents_import_job(job: Job, progress: Progress) -> Outcome:
    report = residents_import(
        actor=job.owner,
        file=job_upload(job),
        filename=job.upload_name,
        good_rows_only=bool(job.params.get("good_rows_only")),
        progress=progress,
    )
    outcome = import_outcome(
        total_rows=report.total_rows,
        imported=report.imported,
        committed=report.committed,
        problems=[Problem(e.row, e.column, e.message) for e in report.errors],
    )
    if not report.committed and report.total_rows > outcome.figures["bad_rows"]:
        outcome.summary += " " + _(
            "Correct the file and upload it again, or upload it again with “Import the good "
            "rows only” ticked (the file is not kept, because it holds ID numbers)."
        )
    return outcome
