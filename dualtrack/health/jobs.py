"""Health's background work: one handler per job kind (registered in apps.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.jobs import Outcome, Problem, Progress, import_outcome, job_upload
from dualtrack.core.media_types import XLSX
from dualtrack.core.models import Job
from dualtrack.health.selectors.screening import campaign_get_for
from dualtrack.health.services import screening_import


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
    )


def line_list_export_job(job: Job, progress: Progress) -> Outcome:
    # The workbook pulls in openpyxl: only the worker loads it, when a job asks.
    from dualtrack.health.cases_excel import line_list_export

    since = datetime.date.fromisoformat(job.params["since"])
    until = datetime.date.fromisoformat(job.params["until"])
    content, _rows = line_list_export(actor=job.owner, since=since, until=until, progress=progress)
    return Outcome(
        summary=_(
            "The workbook is ready. It holds full ID numbers and mobiles: keep it safe and "
            "delete it when done."
        ),
        file=content,
        filename=f"line-list-{since:%Y%m%d}-{until:%Y%m%d}.xlsx",
        content_type=XLSX,
    )


def screening_results_template_job(job: Job, progress: Progress) -> Outcome:
    campaign = campaign_get_for(user=job.owner, campaign_id=job.params["campaign_id"])
    content, rows = screening_import.results_template(
        user=job.owner, campaign=campaign, progress=progress
    )
    return Outcome(
        summary=_("The paper form is ready: %(n)d residents of the households left to visit.")
        % {"n": rows},
        figures={"rows": rows},
        file=content,
        filename=f"screening-{campaign.pk}.xlsx",
        content_type=XLSX,
    )


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
