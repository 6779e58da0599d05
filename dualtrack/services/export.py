"""The requests' columns in their export (``services.exports``), every cell written through the
shared export helper (``core.xlsx.export_row``: typed text stays text); mobiles masked."""

from __future__ import annotations

from django.utils import timezone

from dualtrack.services.models import ServiceRequest

EXPORT_LIMIT = 10_000
HEADER = [
    "受理编号",
    "事项",
    "部门",
    "渠道",
    "申请人",
    "企业",
    "手机",
    "状态",
    "提交时间",
    "计时起始日",
    "办结时限",
    "暂停计时日",
    "暂停工作日数",
    "办结时间",
    "邮寄单号",
    "不予受理理由",
    "评价",
]


def _when(value: object) -> str:
    return "" if value is None else f"{timezone.localtime(value):%Y-%m-%d %H:%M}"  # type: ignore[arg-type]


def request_cells(r: ServiceRequest) -> list[object]:
    return [
        r.tracking_no or "",
        r.matter.name,
        r.matter.department.name,
        r.get_channel_display(),
        r.applicant_name,
        r.enterprise.name if r.enterprise else "",
        r.mobile_masked,
        r.get_status_display(),
        _when(r.filed_at),
        r.clock_starts_on,
        r.due_on,
        r.paused_on,
        r.paused_days,
        _when(r.closed_at),
        r.postal_tracking_no,
        r.refusal_reason,
        r.rating,
    ]
