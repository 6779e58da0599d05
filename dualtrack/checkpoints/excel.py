"""Excel export of a checkpoint's passage register (unmasked: roles with personal-data access
only, and every export is audited)."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dualtrack.checkpoints.models import Checkpoint, Passage
from dualtrack.checkpoints.selectors.register import day_bounds
from dualtrack.checkpoints.services.exports import check_register_export
from dualtrack.checkpoints.services.passages import register_unmasked_view
from dualtrack.core import xlsx
from dualtrack.core.jobs import Progress, no_progress
from dualtrack.core.models import User


def register_export(
    *,
    actor: User,
    checkpoint: Checkpoint,
    since: datetime.date,
    until: datetime.date,
    progress: Progress = no_progress,
) -> bytes:
    """The register of ``checkpoint`` from ``since`` to ``until`` (local days, inclusive)."""
    check_register_export(actor=actor, checkpoint=checkpoint, since=since, until=until)
    start, _end = day_bounds(since)
    _start, end = day_bounds(until)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Register")[:31])
    xlsx.export_row(
        sheet,
        [
            _("Time"),
            _("Direction"),
            _("Name"),
            _("ID number"),
            _("Mobile"),
            _("Temperature (°C)"),
            _("Coming from"),
            _("Region code"),
            _("Purpose"),
            _("Notice letter handed over"),
            _("Fever"),
            _("From a risk area"),
            _("Source"),
        ],
        bold=True,
    )
    rows = 0
    period = Passage.objects.filter(
        checkpoint=checkpoint, occurred_at__gte=start, occurred_at__lt=end
    )
    total = period.count()
    writing = _("Writing")
    progress(0, total, writing)
    passages = period.order_by("occurred_at", "id").iterator(chunk_size=2000)
    yes, no = _("yes"), _("no")
    for passage in passages:
        xlsx.export_row(
            sheet,
            [
                timezone.localtime(passage.occurred_at).replace(tzinfo=None),
                passage.get_direction_display(),
                passage.name,
                passage.id_number,
                passage.phone,
                float(passage.temperature) if passage.temperature is not None else None,
                passage.origin_name,
                passage.origin_code,
                passage.purpose,
                yes if passage.notice_given else no,
                yes if passage.is_fever else no,
                yes if passage.from_risk_area else no,
                passage.get_source_display(),
            ],
        )
        rows += 1
        progress(min(rows, total), total, writing)
    buffer = io.BytesIO()
    workbook.save(buffer)
    register_unmasked_view(
        actor=actor,
        checkpoint=checkpoint,
        note=f"register export {since}..{until}: {rows} passages",
    )
    return buffer.getvalue()
