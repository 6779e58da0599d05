"""Quarantine's documents: the release notice (解除隔离通知书, PDF, Chinese) and the Excel export
of orders with full numbers. Both are reads: callers pass records they read through the
selectors (the export also checks and audits, see ``services.quarantine_exports``)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dualtrack.core import xlsx
from dualtrack.core.errors import Conflict
from dualtrack.core.jobs import Progress, no_progress
from dualtrack.core.pdf import pdf_font
from dualtrack.health.models import OrderStatus, QuarantineKind, QuarantineOrder


def release_notice_pdf(order: QuarantineOrder, *, checks: int) -> bytes:
    """The release notice of a released order, in Chinese, with its number; ``checks`` is the
    number of checks recorded over the period."""
    if order.status != OrderStatus.RELEASED or not order.notice_number:
        raise Conflict(_("Only a released order has a release notice."), code="not_released")
    with translation.override("zh-hans"):
        return _notice(order, checks)


def _notice(order: QuarantineOrder, checks: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    font = pdf_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"解除隔离通知书 {order.notice_number}")
    width, height = A4
    left = 25 * mm
    y = height - 30 * mm
    pdf.setFont(font, 20)
    pdf.drawCentredString(width / 2, y, "解除隔离通知书")
    y -= 10 * mm
    pdf.setFont(font, 11)
    pdf.drawRightString(width - left, y, f"编号：{order.notice_number}")
    y -= 14 * mm
    closed = timezone.localdate(order.closed_at) if order.closed_at else order.ends_on
    where = (
        f"{order.site.name}（集中隔离）"
        if order.kind == QuarantineKind.SITE and order.site
        else "居家隔离"
    )
    pdf.setFont(font, 13)
    pdf.drawString(left, y, f"{order.name}（身份证号：{order.masked_id_number}）：")
    y -= 10 * mm
    body = [
        f"您自 {order.starts_on:%Y年%m月%d日} 起接受隔离医学观察（{where}），",
        f"最后一次接触日期为 {order.last_exposure:%Y年%m月%d日}，",
        f"至 {closed:%Y年%m月%d日} 隔离期满。期间共进行体温及症状监测 {checks} 次，",
        "经评估符合解除隔离条件，现予解除隔离。",
        "解除隔离后请继续做好个人防护，如出现发热、咳嗽等症状请及时就医并主动报告。",
    ]
    for line in body:
        pdf.drawString(left + 8 * mm if line is body[0] else left, y, line)
        y -= 8 * mm
    y -= 6 * mm
    pdf.setFont(font, 11)
    for label, value in (
        ("隔离原因", order.reason),
        ("责任村（社区）", order.area.name),
        ("隔离期间", f"{order.starts_on.isoformat()} 至 {closed.isoformat()}"),
    ):
        pdf.drawString(left, y, f"{label}：{value}")
        y -= 7 * mm
    y -= 16 * mm
    pdf.setFont(font, 12)
    pdf.drawRightString(width - left, y, f"{order.area.name}新冠肺炎疫情防控工作组（盖章）")
    y -= 9 * mm
    pdf.drawRightString(width - left, y, f"{closed:%Y年%m月%d日}")
    pdf.setFont(font, 8)
    pdf.drawString(left, 12 * mm, f"dualtrack · {order.notice_number}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def orders_xlsx(
    orders: Iterable[QuarantineOrder], *, total: int, progress: Progress = no_progress
) -> bytes:
    """The orders with full ID numbers and mobiles, one row each, in the user's language."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Quarantine orders")[:31])
    xlsx.export_row(
        sheet,
        [
            _("Number"),
            _("Name"),
            _("ID number"),
            _("Mobile"),
            _("Person"),
            _("Village or community"),
            _("Kind"),
            _("Site"),
            _("Room"),
            _("Reason"),
            _("Source"),
            _("Last exposure"),
            _("Starts on"),
            _("Ends on"),
            _("Status"),
            _("Release notice number"),
        ],
        bold=True,
    )
    writing = _("Writing")
    progress(0, total, writing)
    for done, order in enumerate(orders, start=1):
        xlsx.export_row(
            sheet,
            [
                order.pk,
                order.name,
                order.id_number,
                order.phone,
                order.get_person_kind_display(),
                order.area.name,
                order.get_kind_display(),
                order.site.name if order.site else "",
                order.room,
                order.reason,
                order.get_source_display(),
                order.last_exposure,
                order.starts_on,
                order.ends_on,
                order.get_status_display(),
                order.notice_number,
            ],
        )
        if done % 500 == 0:
            progress(done, total, writing)
    progress(total, total, writing)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
