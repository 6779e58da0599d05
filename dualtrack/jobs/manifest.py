"""A trip's manifest (乘车人员名单): a PDF drawn with ReportLab in the platform's CJK font, and
an Excel workbook written through ``core.xlsx.export_row``. Bounded by the trip's capacity, so
drawn while the request waits, as the filing notice is.

Numbers are masked unless the reader may see them (``VIEW_PERSONAL_DATA`` district-wide, or the
enterprise its own riders); an unmasked manifest is recorded in the audit trail."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from dualtrack.core.audit import audit_record
from dualtrack.core.models import AuditAction, User
from dualtrack.core.pdf import pdf_font
from dualtrack.core.xlsx import export_row
from dualtrack.jobs import transport_access as access
from dualtrack.jobs import transport_selectors as selectors
from dualtrack.jobs.models import Rider, Trip

HEADER = ["序号", "企业", "姓名", "身份证号", "手机号", "体温", "症状", "旅居地", "登车", "到达"]


@dataclass(frozen=True)
class Manifest:
    trip: Trip
    riders: list[Rider]
    unmasked: bool


def manifest_for(*, user: User, trip: Trip) -> Manifest:
    """The riders in sight, unmasked for those who may see the numbers (audited)."""
    riders = list(selectors.riders_of(user=user, trip=trip).select_related("enterprise"))
    unmasked = access.may_unmask(user)
    if unmasked and riders:
        with transaction.atomic():
            audit_record(
                actor=user,
                action=AuditAction.VIEW_PERSONAL_DATA,
                instance=trip,
                area_code=trip.checkpoint.area.code,
                note=f"manifest with {len(riders)} riders' ID numbers and mobiles",
            )
    return Manifest(trip, riders, unmasked)


def _cells(manifest: Manifest, number: int, rider: Rider) -> list[str]:
    def when(value: object) -> str:
        return f"{timezone.localtime(value):%m-%d %H:%M}" if value else ""  # type: ignore[arg-type]

    return [
        str(number),
        rider.enterprise.name,
        rider.name,
        rider.id_number if manifest.unmasked else rider.id_number_masked,
        rider.mobile if manifest.unmasked else rider.mobile_masked,
        str(rider.temperature),
        rider.symptoms or "无",
        rider.risk_stay_code,
        when(rider.boarded_at),
        when(rider.arrived_at),
    ]


def _title(trip: Trip) -> str:
    mode = trip.get_mode_display()
    return f"点对点接送乘车人员名单 {trip.date:%Y年%m月%d日} {trip.origin}（{mode}）"


def manifest_pdf(manifest: Manifest) -> bytes:
    font = pdf_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    trip = manifest.trip
    pdf.setTitle(_title(trip))
    width, height = A4
    columns = [12, 30, 18, 38, 25, 12, 18, 15, 0]
    y = height - 20 * mm
    pdf.setFont(font, 14)
    pdf.drawCentredString(width / 2, y, _title(trip))
    y -= 8 * mm
    pdf.setFont(font, 10)
    pdf.drawString(
        15 * mm,
        y,
        f"接收卡点：{trip.checkpoint.name}　座位：{trip.capacity}　乘车：{trip.riders_count}",
    )
    y -= 8 * mm
    rows = [HEADER[:9]] + [
        _cells(manifest, n, rider)[:9] for n, rider in enumerate(manifest.riders, start=1)
    ]
    pdf.setFont(font, 8)
    for row in rows:
        if y < 15 * mm:
            pdf.showPage()
            pdf.setFont(font, 8)
            y = height - 15 * mm
        x = 10 * mm
        for width_mm, cell in zip(columns, row, strict=True):
            pdf.drawString(x, y, cell[:20])
            x += width_mm * mm
        y -= 6 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def manifest_xlsx(manifest: Manifest) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("乘车人员名单")
    export_row(sheet, [_title(manifest.trip)], bold=True)
    export_row(sheet, HEADER, bold=True)
    for n, rider in enumerate(manifest.riders, start=1):
        export_row(sheet, _cells(manifest, n, rider))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
