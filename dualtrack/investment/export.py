"""The pipeline's columns in its export (``services.exports``), every cell written through the
shared export helper."""

from __future__ import annotations

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


def project_cells(p: Project) -> list[object]:
    return [
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
    ]
