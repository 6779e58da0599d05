"""Starting the export of the requests in sight, which runs in the background (the workbook is
written by ``dualtrack.services.export``); the page and the API start it alike."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from dualtrack.core.jobs import job_start
from dualtrack.core.models import Job, User
from dualtrack.services import access

REQUESTS_EXPORT_JOB = "services.requests_export"


def requests_export_start(*, actor: User) -> Job:
    """Queue the export of the requests in ``actor``'s sight (newest first, bounded) as a job
    of theirs; refused at once as the request list is."""
    access.require_see_requests(actor)
    return job_start(
        actor=actor,
        kind=REQUESTS_EXPORT_JOB,
        label=_("Export the service requests"),
        params={"back": reverse("services_requests"), "back_label": _("Service requests")},
    )
