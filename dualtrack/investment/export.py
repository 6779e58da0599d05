"""The pipeline in sight as a workbook, every cell through the shared export helper."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook

from dualtrack.core.jobs import Progress, counted, no_progress
from dualtrack.core.xlsx import export_row
from dualtrack.investment.models import Project

HEADER = [
    "项目",
    "投资方",
    "行业",
    "金额（元）",
    "预计就业",
    "责任团队",
    "阶段",
    "下一步",
    "下一步日期",
    "停滞",
    "签约活动",
]


def pipeline_xlsx(projects: Sequence[Project], progress: Progress = no_progress) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("招商项目")
    export_row(sheet, HEADER, bold=True)
    for p in counted(projects, progress, _("Writing the projects")):
        export_row(
            sheet,
            [
                p.name,
                p.investor,
                p.industry,
                p.amount,
                p.jobs_expected,
                p.team,
                p.get_stage_display(),
                p.next_step,
                p.next_step_on,
                "是" if getattr(p, "stalled", False) else "",
                p.ceremony.title if p.ceremony else "",
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
