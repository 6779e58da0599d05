"""Command's background work: the 24:00 snapshot frozen on demand (the scheduled command runs
the same service)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from dualtrack.command.services.snapshots import snapshot_freeze
from dualtrack.core.jobs import Outcome, Progress
from dualtrack.core.models import Job


def freeze_job(job: Job, progress: Progress) -> Outcome:
    day = datetime.date.fromisoformat(job.params["day"])
    snapshot = snapshot_freeze(actor=job.owner, day=day, progress=progress)
    return Outcome(
        summary=_("The figures of %(day)s are frozen.") % {"day": day.isoformat()},
        figures={"towns": len(snapshot.figures.get("towns", []))},
    )
