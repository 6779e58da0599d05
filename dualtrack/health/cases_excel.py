"""Excel export of the line list (一览表), with full numbers: roles with personal-data access
only, and every exported case is recorded in its audit trail."""

from __future__ import annotations

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from dualtrack.core import xlsx
from dualtrack.core.jobs import Progress, no_progress
from dualtrack.core.models import User
from dualtrack.health.selectors.cases import line_list_rows_for
from dualtrack.health.services.cases import line_list_exported


def line_list_export(
    *,
    actor: User,
    since: datetime.date,
    until: datetime.date,
    progress: Progress = no_progress,
) -> tuple[bytes, int]:
    """The cases reported from ``since`` to ``until`` whose numbers the actor may see."""
    cases = line_list_rows_for(user=actor, since=since, until=until)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Line list")[:31])
    xlsx.export_row(
        sheet,
        [
            _("Case number"),
            _("Classification"),
            _("Name"),
            _("Gender"),
            _("Age"),
            _("ID number"),
            _("Mobile"),
            _("Area"),
            _("Resident of the district"),
            _("Onset date"),
            _("Sampling date"),
            _("Report date"),
            _("Isolation date"),
            _("Origin"),
            _("Region of exposure"),
            _("Contact of case"),
            _("Note"),
        ],
        bold=True,
    )
    yes, no = _("yes"), _("no")
    writing = _("Writing")
    for done, case in enumerate(cases, start=1):
        xlsx.export_row(
            sheet,
            [
                case.number,
                case.get_classification_display(),
                case.name,
                case.get_gender_display(),
                case.age,
                case.id_number,
                case.phone,
                case.area.name,
                yes if case.is_resident else no,
                case.onset_date,
                case.sampling_date,
                case.report_date,
                case.isolation_date,
                case.get_origin_display(),
                case.exposure_region_name,
                case.infected_by.number if case.infected_by else "",
                case.note,
            ],
        )
        progress(done, len(cases), writing)
    buffer = io.BytesIO()
    workbook.save(buffer)
    line_list_exported(
        actor=actor, cases=cases, note=f"line list export {since}..{until}: {len(cases)} cases"
    )
    return buffer.getvalue(), len(cases)
