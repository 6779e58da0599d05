"""The briefing as a Word document (python-docx) and a PDF (ReportLab, the CJK font), in the
official layout: the issuing body's heading, the title, the number and date, the sections and
their tables. Made from the briefing's own content (its copy of the snapshot), never live data.

A document is made once and kept in the cache (``briefing_file``), keyed by a fingerprint of
everything it is made from: the briefing's number, title, narrative, status, times, correction
and content, and the code, translations, time zone and font that draw it. A published briefing
never changes, so its documents are made once; a draft's edit changes the fingerprint, so the
next download makes a new document and the old one is never served again."""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import json
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from dualtrack.command import briefing_text
from dualtrack.command.briefing_text import Row, district_rows, town_table
from dualtrack.command.models import Briefing
from dualtrack.core.pdf import cjk_font_path, pdf_font

Kind = Literal["pdf", "docx"]
# How long a made document is kept; the fingerprint, not the time, decides whether it is current.
KEEP_SECONDS = 7 * 24 * 3600

HEADING = "新冠肺炎疫情防控和复工复产指挥部"
RED = (0xC0, 0x00, 0x00)


def _parts(briefing: Briefing) -> tuple[str, str, list[Row], tuple[list[str], list[list[str]]]]:
    content = briefing.content
    issuer = f"{content.get('district_name', '')}{HEADING}"
    day = datetime.date.fromisoformat(content["day"])
    published = briefing.published_at or briefing.created_at
    dateline = f"第{briefing.number}期　　{issuer}　　{timezone.localtime(published):%Y年%m月%d日}"
    return (
        issuer,
        f"{dateline}（{day:%Y年%m月%d日}24时数据）",
        district_rows(content),
        town_table(content),
    )


def _sections(briefing: Briefing) -> list[tuple[str, str]]:
    sections = []
    if briefing.corrects_id is not None and briefing.corrects is not None:
        sections.append(
            (
                "更正说明",
                f"本期更正第{briefing.corrects.number}期通报：{briefing.correction_note}",
            )
        )
    sections.append(("一、总体情况", briefing.narrative))
    return sections


def briefing_docx(briefing: Briefing) -> bytes:
    with translation.override("zh-hans"):
        return _docx(briefing)


def _docx(briefing: Briefing) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    issuer, dateline, rows, (header, town_rows) = _parts(briefing)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")

    def centred(text: str, size: int, bold: bool = False, red: bool = False) -> None:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if red:
            run.font.color.rgb = RGBColor(*RED)

    centred(issuer, 22, bold=True, red=True)
    centred("疫情通报", 26, bold=True, red=True)
    centred(dateline, 12)
    centred(briefing.title, 16, bold=True)
    for heading, text in _sections(briefing):
        document.add_paragraph().add_run(heading).bold = True
        document.add_paragraph(text)
    document.add_paragraph().add_run("二、主要数据").bold = True
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("指标", "当日", "较昨日", "较上周"), strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        cells[0].text = row.label
        cells[1].text = f"{row.value}{row.unit}"
        cells[2].text = row.vs_yesterday
        cells[3].text = row.vs_last_week
    if town_rows:
        document.add_paragraph().add_run("三、各镇（街道）情况").bold = True
        towns = document.add_table(rows=1, cols=len(header))
        towns.style = "Table Grid"
        for cell, text in zip(towns.rows[0].cells, header, strict=True):
            cell.text = text
        for town_row in town_rows:
            for cell, text in zip(towns.add_row().cells, town_row, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def briefing_pdf(briefing: Briefing) -> bytes:
    with translation.override("zh-hans"):
        return _pdf(briefing)


def _pdf(briefing: Briefing) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = pdf_font()
    issuer, dateline, rows, (header, town_rows) = _parts(briefing)
    red = colors.Color(*(c / 255 for c in RED))
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    centre = ParagraphStyle("centre", parent=base, alignment=1)
    styles = {
        "issuer": ParagraphStyle("issuer", parent=centre, fontSize=18, leading=26, textColor=red),
        "kind": ParagraphStyle("kind", parent=centre, fontSize=24, leading=34, textColor=red),
        "line": ParagraphStyle("line", parent=centre, fontSize=9.5),
        "title": ParagraphStyle("title", parent=centre, fontSize=14, leading=22),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12, leading=20),
    }

    def grid(data: list[list[str]], widths: list[float]) -> Table:
        cell = ParagraphStyle("cell", parent=base, fontSize=9, leading=12)
        table = Table([[Paragraph(str(v), cell) for v in r] for r in data], colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return table

    story = [
        Paragraph(issuer, styles["issuer"]),
        Paragraph("疫情通报", styles["kind"]),
        Paragraph(dateline, styles["line"]),
        Spacer(1, 3 * mm),
        Paragraph(briefing.title, styles["title"]),
        Spacer(1, 3 * mm),
    ]
    for heading, text in _sections(briefing):
        story += [Paragraph(heading, styles["heading"]), Paragraph(_escape(text), base)]
    story += [Spacer(1, 3 * mm), Paragraph("二、主要数据", styles["heading"])]
    data = [["指标", "当日", "较昨日", "较上周"]] + [
        [r.label, f"{r.value}{r.unit}", r.vs_yesterday, r.vs_last_week] for r in rows
    ]
    story.append(grid(data, [70 * mm, 35 * mm, 30 * mm, 30 * mm]))
    if town_rows:
        story += [Spacer(1, 3 * mm), Paragraph("三、各镇（街道）情况", styles["heading"])]
        width = 165 * mm / len(header)
        story.append(grid([header, *town_rows], [width] * len(header)))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=briefing.title, leftMargin=22 * mm, rightMargin=22 * mm
    )
    document.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text).replace("\n", "<br/>")


@functools.cache
def _drawing() -> str:
    """What besides the briefing decides a document's bytes: this module's and the text's code,
    the app's translations, the time zone and the font (a release changing one makes new ones)."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in (
        Path(__file__),
        Path(briefing_text.__file__),
        here / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo",
    ):
        digest.update(path.read_bytes() if path.is_file() else b"-")
    digest.update(f"{settings.TIME_ZONE}|{cjk_font_path()}".encode())
    return digest.hexdigest()


def fingerprint(briefing: Briefing) -> str:
    """A digest of everything a briefing's documents are made from."""
    made_of = [
        _drawing(),
        briefing.pk,
        briefing.number,
        briefing.status,
        briefing.title,
        briefing.narrative,
        briefing.corrects_id,
        briefing.correction_note,
        briefing.created_at.isoformat(),
        briefing.published_at.isoformat() if briefing.published_at else None,
        briefing.content,
    ]
    text = json.dumps(made_of, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def file_tag(kind: Kind, digest: str) -> str:
    """The entity tag of a document made from what ``digest`` (``fingerprint``) sums up."""
    return f'"{kind}-{digest}"'


_MAKERS = {"pdf": briefing_pdf, "docx": briefing_docx}


def briefing_file(briefing: Briefing, kind: Kind, digest: str) -> bytes:
    """The briefing's PDF or .docx: the one made before from the same briefing (``digest``, its
    ``fingerprint``), else made now and kept."""
    key = f"command:briefing:{kind}:{briefing.pk}:{digest}"
    content = cache.get(key)
    if content is None:
        content = _MAKERS[kind](briefing)
        cache.set(key, content, KEEP_SECONDS)
    return bytes(content)
