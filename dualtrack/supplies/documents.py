"""Printed and exported documents: the hand-over receipt (PDF) and the ledger (Excel).

Both are reads: callers pass records they fetched through the selectors.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict

from django.utils import timezone, translation

from dualtrack.core import xlsx
from dualtrack.core.pdf import pdf_font
from dualtrack.supplies.models import Entry, Holder, Transfer


def _local(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def receipt_pdf(transfer: Transfer) -> bytes:
    """The hand-over receipt (物资交接单) of a transfer, in Chinese, with places to sign."""
    with translation.override("zh-hans"):
        return _receipt_pdf(transfer)


def _receipt_pdf(transfer: Transfer) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    font = pdf_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"物资交接单 {transfer.voucher_no}")
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    y = height - 25 * mm
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, y, "物资交接单")
    y -= 10 * mm
    pdf.setFont(font, 10.5)
    header = [
        ("凭证号", transfer.voucher_no),
        ("发出日期", transfer.sent_on.isoformat()),
        ("发出单位", f"{transfer.source.name}（{transfer.source.get_kind_display()}）"),
        ("接收单位", f"{transfer.destination.name}（{transfer.destination.get_kind_display()}）"),
        ("经办人", transfer.sent_by.display_name if transfer.sent_by else ""),
    ]
    if transfer.note:
        header.append(("备注", transfer.note))
    for label, value in header:
        pdf.drawString(left, y, f"{label}：{value}")
        y -= 6.5 * mm
    y -= 3 * mm
    columns = [
        left,
        left + 10 * mm,
        left + 70 * mm,
        left + 95 * mm,
        left + 120 * mm,
        left + 140 * mm,
    ]
    titles = ["序号", "物资名称", "规格", "单位", "发出数量", "实收数量"]
    pdf.setFont(font, 10)
    pdf.line(left, y + 4 * mm, right, y + 4 * mm)
    for x, title in zip(columns, titles, strict=True):
        pdf.drawString(x, y, title)
    y -= 2 * mm
    pdf.line(left, y, right, y)
    y -= 5 * mm
    lines = list(transfer.lines.select_related("item").order_by("item__name"))
    for number, line in enumerate(lines, start=1):
        if y < 60 * mm:
            pdf.showPage()
            pdf.setFont(font, 10)
            y = height - 25 * mm
        received = "" if line.quantity_received is None else str(line.quantity_received)
        values = [
            str(number),
            line.item.name[:18],
            line.item.specification[:10],
            line.item.unit,
            str(line.quantity_sent),
            received,
        ]
        for x, value in zip(columns, values, strict=True):
            pdf.drawString(x, y, value)
        y -= 6 * mm
        if line.shortfall:
            pdf.drawString(columns[1], y, f"短少 {line.shortfall}：{line.shortfall_reason}")
            y -= 6 * mm
    pdf.line(left, y + 3 * mm, right, y + 3 * mm)
    y -= 8 * mm
    if transfer.received_at:
        who = transfer.received_by.display_name if transfer.received_by else ""
        pdf.drawString(left, y, f"接收确认：{who}　{_local(transfer.received_at)}")
        y -= 10 * mm
    pdf.setFont(font, 11)
    pdf.drawString(left, y, "发出方经手人（签字）：________________")
    pdf.drawString(left + 90 * mm, y, "接收方签收人（签字）：________________")
    y -= 10 * mm
    pdf.drawString(left, y, "日期：______年____月____日")
    pdf.drawString(left + 90 * mm, y, "日期：______年____月____日")
    pdf.setFont(font, 8)
    pdf.drawString(left, 12 * mm, f"dualtrack · {transfer.voucher_no}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


LEDGER_HEADERS = ("日期", "物资", "收入", "发出", "结存", "对方单位", "凭证号", "经办人", "摘要")


def ledger_xlsx(
    *,
    holder: Holder,
    entries: list[Entry],
    openings: dict[int, int],
    since: datetime.date,
    until: datetime.date,
) -> bytes:
    """The 台账 of one holder for a period: per item an opening line (上期结存), then each entry
    with in, out and the balance after it, then the period's totals. Always in Chinese."""
    with translation.override("zh-hans"):
        return _ledger_xlsx(
            holder=holder, entries=entries, openings=openings, since=since, until=until
        )


def _ledger_xlsx(
    *,
    holder: Holder,
    entries: list[Entry],
    openings: dict[int, int],
    since: datetime.date,
    until: datetime.date,
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "物资台账"
    xlsx.export_row(
        sheet, [f"{holder.name} 物资台账（{since.isoformat()} 至 {until.isoformat()}）"]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    xlsx.export_row(sheet, LEDGER_HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    by_item: dict[int, list[Entry]] = defaultdict(list)
    names: dict[int, str] = dict(getattr(openings, "names", {}))
    for entry in entries:
        by_item[entry.item_id].append(entry)
        names[entry.item_id] = entry.item.name
    for item_id in sorted(set(by_item) | set(openings), key=lambda i: names.get(i, "")):
        rows = by_item.get(item_id, [])
        name = names.get(item_id) or ""
        if not rows and not openings.get(item_id):
            continue
        xlsx.export_row(
            sheet, [since, name, None, None, openings.get(item_id, 0), "", "", "", "上期结存"]
        )
        total_in = total_out = 0
        for e in rows:
            total_in += e.quantity_in
            total_out += e.quantity_out
            handler = e.handler.display_name if e.handler else ""
            summary = e.get_kind_display() + (f"：{e.reason}" if e.reason else "")
            xlsx.export_row(
                sheet,
                [
                    e.occurred_on,
                    name,
                    e.quantity_in or None,
                    e.quantity_out or None,
                    e.balance_after,
                    e.counterparty,
                    e.voucher_no,
                    handler,
                    summary,
                ],
            )
        closing = rows[-1].balance_after if rows else openings.get(item_id, 0)
        xlsx.export_row(sheet, [until, name, total_in, total_out, closing, "", "", "", "本期合计"])
    for row in sheet.iter_rows(min_row=3, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    widths = (12, 22, 10, 10, 10, 24, 22, 12, 24)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
