"""Starting the export of the pipeline in sight, which runs in the background (the workbook is
written by ``dualtrack.investment.export``); the page and the API start it alike."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from dualtrack.core.jobs import job_start
from dualtrack.core.models import Job, User
from dualtrack.investment import access

PIPELINE_EXPORT_JOB = "investment.pipeline_export"


def pipeline_export_start(*, actor: User) -> Job:
    """Queue the export of the pipeline as a job of ``actor``'s; refused at once to those who
    do not see the pipeline."""
    access.require_see_pipeline(actor)
    return job_start(
        actor=actor,
        kind=PIPELINE_EXPORT_JOB,
        label=_("Export the investment pipeline"),
        params={"back": reverse("investment_index"), "back_label": _("Investment")},
    )
