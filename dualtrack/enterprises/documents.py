"""The resumption notice (复工通知单), a one-page PDF drawn with ReportLab."""

from __future__ import annotations

import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from dualtrack.core.pdf import pdf_font
from dualtrack.enterprises.models import FilingRoute, ResumptionFiling
from dualtrack.enterprises.services.filings import GAP_LABELS

GAP_CONDITIONS = {
    "no_plan": "三日内补交疫情防控方案",
    "masks_low": "口罩储备补足至7天以上",
    "disinfectant_low": "消毒用品储备补足至7天以上",
    "no_temperature_checks": "在厂区出入口落实体温检测",
    "no_isolation_room": "设置临时隔离观察室",
    "no_prevention_officer": "明确疫情防控专人",
    "no_disinfection_schedule": "制定并落实每日消毒制度",
}
assert set(GAP_CONDITIONS) == set(GAP_LABELS)


def notice_pdf(filing: ResumptionFiling) -> bytes:
    """The notice of an approved or accepted filing: number, enterprise, credit code, date and
    the conditions attached (the standing ones and one per gap in the checklist)."""
    font = pdf_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    enterprise = filing.enterprise
    pdf.setTitle(f"复工通知单 {filing.notice_number}")
    width, height = A4
    y = height - 30 * mm
    pdf.setFont(font, 20)
    pdf.drawCentredString(width / 2, y, "企业复工复产通知单")
    y -= 12 * mm
    pdf.setFont(font, 11)
    pdf.drawRightString(width - 25 * mm, y, f"编号：{filing.notice_number}")
    y -= 12 * mm
    decided = timezone.localtime(filing.decided_at) if filing.decided_at else timezone.localtime()
    route = "备案即复工" if filing.route == FilingRoute.FILING_ONLY else "审批同意复工"
    lines = [
        f"企业名称：{enterprise.name}",
        f"统一社会信用代码：{enterprise.credit_code}",
        f"所在镇处：{enterprise.area.name}",
        f"复工日期：{filing.planned_date:%Y年%m月%d日}",
        f"计划复工人数：{filing.workers_planned}",
        f"方式：{route}",
        f"防疫负责人：{filing.prevention_officer or '（未填写）'}",
        f"承诺书签署人：{filing.commitment_signer}",
    ]
    pdf.setFont(font, 12)
    for line in lines:
        pdf.drawString(25 * mm, y, line)
        y -= 8 * mm
    y -= 4 * mm
    pdf.setFont(font, 13)
    pdf.drawString(25 * mm, y, "复工条件：")
    y -= 8 * mm
    pdf.setFont(font, 11)
    conditions = [
        "严格落实每日体温检测和健康登记，发现发热人员立即报告",
        "每日12时前报送前一日24时在岗人数",
        "接受事中事后监管检查，按期完成整改",
        *(GAP_CONDITIONS[g] for g in filing.gaps if g in GAP_CONDITIONS),
    ]
    for number, condition in enumerate(conditions, start=1):
        pdf.drawString(30 * mm, y, f"{number}. {condition}")
        y -= 7 * mm
    y -= 10 * mm
    pdf.setFont(font, 12)
    district = enterprise.area.parent.name if enterprise.area.parent else ""
    pdf.drawRightString(width - 25 * mm, y, f"{district}疫情防控指挥部企业服务组")
    y -= 8 * mm
    pdf.drawRightString(width - 25 * mm, y, f"{decided:%Y年%m月%d日}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
