"""The roster as an Excel workbook, every cell through the shared export helper: a small week
at once, a large one as a background job with its progress (the platform's jobs)."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from dualtrack.areas.models import Area
from dualtrack.core import xlsx
from dualtrack.core.jobs import Outcome, Progress, job_start, no_progress
from dualtrack.core.media_types import XLSX
from dualtrack.core.models import Job, User
from dualtrack.volunteers import access, selectors
from dualtrack.volunteers.selectors import RosterEntry

ROSTER_EXPORT_JOB = "volunteers.roster_export"
# A week of at most this many shifts is written while the request waits (a village's or a
# small town's: well under a second); a larger one is a job with a progress bar.
DIRECT_EXPORT_SHIFTS = 500
# The job reads the week this many shifts at a time, up to EXPORT_PAGES pages.
EXPORT_PAGE = 500
EXPORT_PAGES = 200


def roster_workbook(entries: list[RosterEntry]) -> bytes:
    """One row per shift or duty: when, where, who, how many it needs, whether it is short."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Duty roster")[:31])
    xlsx.export_row(
        sheet,
        [
            _("Starts at"),
            _("Ends at"),
            pgettext("duty roster", "Duty"),
            _("Village or community"),
            _("People needed"),
            _("People on duty"),
            _("Short"),
            _("Names"),
        ],
        bold=True,
    )
    for entry in entries:
        xlsx.export_row(
            sheet,
            [
                timezone.localtime(entry.starts_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(entry.ends_at).strftime("%Y-%m-%d %H:%M"),
                entry.title,
                entry.area.name,
                entry.needed,
                entry.people,
                _("yes") if entry.short else "",
                entry.names_text,
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_entries(
    *,
    user: User,
    area: Area,
    start: datetime.date,
    progress: Progress = no_progress,
) -> list[RosterEntry]:
    """Every line of ``area``'s roster for the week from ``start``, a keyset page at a time,
    telling ``progress`` how many of the week's shifts are read."""
    first, end = selectors.week_bounds(start)
    total = selectors.roster_shift_count(
        user=user, area=area, start=first, end=end, limit=EXPORT_PAGE * EXPORT_PAGES
    )
    stage = _("Reading the roster")
    progress(0, total, stage)
    entries: list[RosterEntry] = []
    after = None
    done = 0
    for _page in range(EXPORT_PAGES):
        page = selectors.roster_page_for(
            user=user, area=area, start=first, end=end, after=after, size=EXPORT_PAGE
        )
        entries += page.entries
        done += sum(1 for e in page.entries if e.shift_id)
        progress(min(done, total), total, stage)
        after = page.next_after
        if after is None:
            break
    return entries


def roster_filename(area: Area, start: datetime.date) -> str:
    return f"roster-{area.code}-{start.isoformat()}.xlsx"


def roster_export_is_direct(*, user: User, area: Area, start: datetime.date) -> bool:
    """Whether the week is small enough to be written while the request waits."""
    first, end = selectors.week_bounds(start)
    count = selectors.roster_shift_count(
        user=user, area=area, start=first, end=end, limit=DIRECT_EXPORT_SHIFTS
    )
    return count <= DIRECT_EXPORT_SHIFTS


def roster_export_start(*, actor: User, area: Area, start: datetime.date) -> Job:
    """Queue the export of ``area``'s roster for the week from ``start`` as a job of
    ``actor``'s (its page shows the progress, then the workbook)."""
    access.require_area(actor, area)
    return job_start(
        actor=actor,
        kind=ROSTER_EXPORT_JOB,
        label=_("Export the duty roster of %(area)s from %(day)s")
        % {"area": area.name, "day": start.isoformat()},
        params={
            "area_id": area.pk,
            "start": start.isoformat(),
            "back": reverse("volunteers_roster") + f"?area={area.pk}&start={start.isoformat()}",
            "back_label": _("Duty roster"),
        },
    )


def roster_export_job(job: Job, progress: Progress) -> Outcome:
    """The job: the week read again in the owner's sight (they may have lost it since)."""
    from dualtrack.areas.selectors import area_get_for

    area = area_get_for(user=job.owner, area_id=int(job.params["area_id"]))
    start = datetime.date.fromisoformat(job.params["start"])
    entries = roster_entries(user=job.owner, area=area, start=start, progress=progress)
    progress(0, 0, _("Writing the workbook"))
    return Outcome(
        summary=_("The workbook is ready."),
        file=roster_workbook(entries),
        filename=roster_filename(area, start),
        content_type=XLSX,
        figures={"lines": len(entries)},
    )
