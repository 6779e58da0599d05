"""Health's background work: one handler per job kind."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dualtrack.core.jobs import Outcome, Problem, Progress, import_outcome, job_upload
from dualtrack.core.models import Job
from dualtrack.health.selectors.screening import campaign_get_for
from dualtrack.health.services import screening_import


def screening_results_import_job(job: Job, progress: Progress) -> Outcome:
    campaign = campaign_get_for(user=job.owner, campaign_id=job.params["campaign_id"])
    report = screening_import.results_import(
        actor=job.owner,
        campaign=campaign,
        file=job_upload(job),
        filename=job.upload_name,
        progress=progress,
    )
    outcome = import_outcome(
        total_rows=report.rows,
        imported=0 if report.problems else report.rows,
        committed=not report.problems,
        problems=[Problem(row, column, message) for row, column, message in report.problems],
    )
    if not report.problems:
        outcome.summary += " " + _(
            "%(visits)d visits recorded; %(already)d were recorded before."
        ) % {"visits": report.imported, "already": report.already}
        outcome.figures["visits"] = report.imported
    return outcome
