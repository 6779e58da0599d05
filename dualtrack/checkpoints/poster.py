"""The QR poster a checkpoint prints and tapes up at the gate: its name, its village, a large QR
code pointing at the public self-registration page, and what to do, in Chinese.

The poster is always Chinese (it is read by residents at the gate, whatever the language of the
cadre who printed it). PDF for printing (A4), PNG for sending to the chat group.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import segno

if TYPE_CHECKING:
    from PIL import Image

# What the poster tells residents; fixed Chinese, not translated (see the module docstring).
POSTER_TITLE = "卡点扫码登记"
POSTER_STEPS = (
    "请扫码登记：用手机扫描上方二维码，填写姓名、身份证号、手机号和来源地。",
    "提交后请向值守人员出示登记结果，配合测量体温。",
    "体温≥37.3°C或来自中高风险地区者，请听从工作人员安排。",
)
POSTER_FOOTER = "二维码如有更换，以卡点现场张贴的最新二维码为准。"

PNG_WIDTH = 1240  # px: A4 at 150 dpi
PNG_HEIGHT = 1754


@dataclass(frozen=True)
class PosterContent:
    """What one poster shows."""

    checkpoint_name: str
    place: str  # town and village, e.g. "昌东镇 艾溪村"
    url: str  # absolute URL of /q/<token>/
    day: date


# Changed whenever the drawing changes, so that posters drawn before are not served again.
DRAWING_VERSION = 1


def poster_fingerprint(content: PosterContent) -> str:
    """A digest of everything the poster shows and of the drawing's version: two posters with
    the same fingerprint are the same picture (the text is fixed Chinese, whatever the
    language of who asks)."""
    shown = [
        DRAWING_VERSION,
        content.checkpoint_name,
        content.place,
        content.url,
        content.day.isoformat(),
    ]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()


def poster_qr(url: str) -> segno.QRCode:
    """The poster's QR code: error correction Q, so a scuffed or rained-on poster still scans."""
    return segno.make_qr(url, error="q", boost_error=False)


def poster_pdf(content: PosterContent) -> bytes:
    """An A4 PDF poster with the CJK font embedded."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from dualtrack.core.pdf import pdf_font

    font = pdf_font()
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{content.checkpoint_name} {POSTER_TITLE}")
    pdf.setAuthor("dualtrack")

    pdf.setFillColorRGB(0.643, 0.086, 0.102)
    pdf.rect(0, height - 38 * mm, width, 38 * mm, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(font, 30)
    pdf.drawCentredString(width / 2, height - 22 * mm, POSTER_TITLE)
    pdf.setFont(font, 15)
    pdf.drawCentredString(width / 2, height - 32 * mm, content.place)

    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(font, 26)
    pdf.drawCentredString(width / 2, height - 55 * mm, content.checkpoint_name)

    # The QR code, module by module: vector, so it prints sharp at any size.
    qr = poster_qr(content.url)
    side = 120 * mm
    matrix = qr.matrix
    modules = len(matrix) + 8  # the 4-module quiet zone on each side
    module = side / modules
    left = (width - side) / 2
    top = height - 65 * mm
    for row_number, row in enumerate(matrix):
        for column, dark in enumerate(row):
            if dark:
                pdf.rect(
                    left + (column + 4) * module,
                    top - (row_number + 5) * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )

    y = top - side - 12 * mm
    pdf.setFont(font, 14)
    for step in POSTER_STEPS:
        pdf.drawString(22 * mm, y, step)
        y -= 10 * mm
    pdf.setFont(font, 11)
    pdf.setFillColorRGB(0.36, 0.39, 0.46)
    pdf.drawString(22 * mm, y - 4 * mm, POSTER_FOOTER)
    pdf.drawString(22 * mm, 18 * mm, f"打印日期：{content.day:%Y年%m月%d日}")
    pdf.drawRightString(width - 22 * mm, 18 * mm, content.url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def poster_png(content: PosterContent) -> bytes:
    """The same poster as a PNG image (A4 proportions, 150 dpi), for the chat group."""
    from PIL import Image, ImageDraw

    from dualtrack.core.pdf import image_font

    image = Image.new("RGB", (PNG_WIDTH, PNG_HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, PNG_WIDTH, 220), fill=(164, 22, 26))
    centre = PNG_WIDTH // 2
    draw.text((centre, 90), POSTER_TITLE, font=image_font(76), fill="white", anchor="mm")
    draw.text((centre, 175), content.place, font=image_font(40), fill="white", anchor="mm")
    draw.text(
        (centre, 310), content.checkpoint_name, font=image_font(64), fill="black", anchor="mm"
    )

    qr_image = qr_png_image(content.url)
    image.paste(qr_image, ((PNG_WIDTH - qr_image.width) // 2, QR_TOP))

    y = QR_TOP + qr_image.height + 50
    body = image_font(34)
    for step in POSTER_STEPS:
        for line in _wrapped(step, draw, body, PNG_WIDTH - 200):
            draw.text((100, y), line, font=body, fill="black")
            y += 52
        y += 14
    small = image_font(28)
    draw.text((100, y + 10), POSTER_FOOTER, font=small, fill=(91, 100, 117))
    draw.text(
        (100, PNG_HEIGHT - 90),
        f"打印日期：{content.day:%Y年%m月%d日}",
        font=small,
        fill=(91, 100, 117),
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


QR_TOP = 380
QR_SIDE = 820  # px, before rounding to whole modules


def qr_png_image(url: str) -> Image.Image:
    """The QR code as a Pillow image of whole pixels a module, about QR_SIDE wide."""
    from PIL import Image

    qr = poster_qr(url)
    scale = qr_png_scale(url)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=4)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def qr_png_scale(url: str) -> int:
    """Pixels per module of the poster's QR code (for tests that read the code back)."""
    width, _height = poster_qr(url).symbol_size(scale=1, border=4)
    return max(1, QR_SIDE // int(width))


def _wrapped(text: str, draw: Any, font: Any, max_width: int) -> list[str]:
    """Break Chinese text into lines that fit ``max_width`` pixels (any character may break)."""
    lines: list[str] = []
    line = ""
    for character in text:
        if line and draw.textlength(line + character, font=font) > max_width:
            lines.append(line)
            line = character
        else:
            line += character
    if line:
        lines.append(line)
    return lines
