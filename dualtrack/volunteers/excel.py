"""The roster as an Excel workbook, every cell through the shared export helper."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from dualtrack.core import xlsx
from dualtrack.volunteers.selectors import RosterEntry


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
