"""The supplies' background work: importing an opening stocktake, exporting a ledger."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from dualtrack.core.jobs import (
    Outcome,
    Problem,
    Progress,
    import_outcome,
    job_upload,
)
from dualtrack.core.media_types import XLSX
from dualtrack.core.models import Job
from dualtrack.supplies import selectors
from dualtrack.supplies.documents import ledger_xlsx
from dualtrack.supplies.services import imports


def opening_stock_import_job(job: Job, progress: Progress) -> Outcome:
    holder = selectors.holder_get_for(user=job.owner, holder_id=job.params["holder_id"])
    report = imports.opening_stock_import(
        actor=job.owner,
        holder=holder,
        file=job_upload(job),
        filename=job.upload_name,
        occurred_on=datetime.date.fromisoformat(job.params["occurred_on"]),
        progress=progress,
    )
    rows = report.imported + len({problem.row for problem in report.problems})
    return import_outcome(
        total_rows=rows,
        imported=report.imported,
        committed=not report.problems,
        problems=[Problem(p.row, p.column, p.message) for p in report.problems],
    )


def ledger_export_job(job: Job, progress: Progress) -> Outcome:
    holder = selectors.holder_get_for(user=job.owner, holder_id=job.params["holder_id"])
    since = datetime.date.fromisoformat(job.params["since"])
    until = datetime.date.fromisoformat(job.params["until"])
    progress(0, 0, _("Reading the ledger"))
    entries, openings = selectors.ledger_for(
        user=job.owner, holder=holder, since=since, until=until
    )
    progress(0, len(entries), _("Writing"))
    content = ledger_xlsx(
        holder=holder, entries=entries, openings=openings, since=since, until=until
    )
    progress(len(entries), len(entries), _("Writing"))
    return Outcome(
        summary=_("The workbook is ready."),
        file=content,
        filename=f"ledger-{holder.pk}-{since:%Y%m%d}-{until:%Y%m%d}.xlsx",
        content_type=XLSX,
    )
