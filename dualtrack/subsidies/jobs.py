"""The subsidies' background work: computing the proactive offers for every payee."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dualtrack.core.jobs import Outcome, Progress
from dualtrack.core.models import Job
from dualtrack.subsidies.services.offers import offers_compute

OFFERS_JOB = "subsidies.offers"


def offers_job(job: Job, progress: Progress) -> Outcome:
    result = offers_compute(actor=job.owner, progress=progress)
    return Outcome(
        summary=_("%(created)s offers made, %(updated)s recomputed, %(dups)s duplicates caught.")
        % {"created": result.created, "updated": result.updated, "dups": result.duplicates},
        figures={"created": result.created, "updated": result.updated},
    )
