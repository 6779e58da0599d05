"""The enterprises app's background work: importing and exporting the registry and rosters."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.jobs import (
    Outcome,
    Problem,
    Progress,
    counted,
    import_outcome,
    job_upload,
)
from dualtrack.core.media_types import XLSX
from dualtrack.core.models import Job
from dualtrack.enterprises import selectors
from dualtrack.enterprises.services import imports, roster
from dualtrack.enterprises.services.sheets import ImportReport


def _import_outcome(report: ImportReport) -> Outcome:
    return import_outcome(
        total_rows=report.total_rows,
        imported=report.imported,
        committed=report.committed,
        problems=[Problem(e.row, e.column, e.message) for e in report.errors],
    )


def _file(content: bytes, stem: str) -> Outcome:
    return Outcome(
        summary=_("The workbook is ready."),
        file=content,
        filename=f"{stem}-{timezone.localdate().isoformat()}.xlsx",
        content_type=XLSX,
    )


def enterprises_import_job(job: Job, progress: Progress) -> Outcome:
    report = imports.enterprises_import(
        actor=job.owner, file=job_upload(job), filename=job.upload_name, progress=progress
    )
    return _import_outcome(report)


def enterprises_export_job(job: Job, progress: Progress) -> Outcome:
    rows = list(selectors.enterprise_list_for(user=job.owner))
    content = imports.enterprises_export(list(counted(rows, progress, _("Writing"))))
    return _file(content, _("enterprises"))


def roster_import_job(job: Job, progress: Progress) -> Outcome:
    enterprise = selectors.enterprise_get_for(
        user=job.owner, enterprise_id=job.params["enterprise_id"]
    )
    report = roster.roster_import(
        actor=job.owner,
        enterprise=enterprise,
        file=job_upload(job),
        filename=job.upload_name,
        progress=progress,
    )
    return _import_outcome(report)


def roster_export_job(job: Job, progress: Progress) -> Outcome:
    enterprise = selectors.enterprise_get_for(
        user=job.owner, enterprise_id=job.params["enterprise_id"]
    )
    content = roster.roster_export(actor=job.owner, enterprise=enterprise, progress=progress)
    return _file(content, _("roster"))
