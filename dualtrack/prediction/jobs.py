"""The early warning's background work: a recomputation started from the panel or the API."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualtrack.core.jobs import Outcome, Progress
from dualtrack.core.models import Job
from dualtrack.prediction.services.recompute import recompute


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def recompute_job(job: Job, progress: Progress) -> Outcome:
    params = job.params
    end = datetime.date.fromisoformat(params["end"])
    run = recompute(
        actor=job.owner,
        end=end,
        start=_date(params.get("start")),
        from_day=_date(params.get("from_day")),
        si_mean=params.get("si_mean"),
        si_sd=params.get("si_sd"),
        progress=progress,
    )
    return Outcome(
        summary=_("The early warning is recomputed from %(start)s to %(end)s.")
        % {"start": run.start.isoformat(), "end": run.end.isoformat()}
        + " "
        + ngettext("%(n)d new signal.", "%(n)d new signals.", run.signals_opened)
        % {"n": run.signals_opened},
        figures={"signals_opened": run.signals_opened},
    )
