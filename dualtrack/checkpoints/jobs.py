"""The checkpoints' background work: exporting a period of a register."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from dualtrack.checkpoints.selectors.checkpoints import checkpoint_get_for
from dualtrack.core.jobs import Outcome, Progress
from dualtrack.core.media_types import XLSX
from dualtrack.core.models import Job


def register_export_job(job: Job, progress: Progress) -> Outcome:
    # The workbook pulls in openpyxl: only the worker loads it, when a job asks.
    from dualtrack.checkpoints.excel import register_export

    checkpoint = checkpoint_get_for(user=job.owner, checkpoint_id=job.params["checkpoint_id"])
    since = datetime.date.fromisoformat(job.params["since"])
    until = datetime.date.fromisoformat(job.params["until"])
    content = register_export(
        actor=job.owner, checkpoint=checkpoint, since=since, until=until, progress=progress
    )
    return Outcome(
        summary=_(
            "The workbook is ready. It holds full ID numbers and mobiles: keep it safe and "
            "delete it when done."
        ),
        file=content,
        filename=f"register-{checkpoint.pk}-{since:%Y%m%d}-{until:%Y%m%d}.xlsx",
        content_type=XLSX,
    )
