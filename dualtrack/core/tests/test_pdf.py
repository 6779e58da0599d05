from __future__ import annotations

import io

import pytest
from reportlab.pdfgen import canvas

from dualtrack.core import pdf


def _draw(font: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont(font, 14)
    page.drawString(72, 720, "南昌高新区卡点登记")
    page.save()
    return buffer.getvalue()


def test_the_installed_cjk_font_is_embedded():
    pdf.pdf_font.cache_clear()
    assert pdf.cjk_font_path() is not None, "CI installs fonts-wqy-microhei"
    font = pdf.pdf_font()
    assert font == pdf.CJK_FONT
    document = _draw(font)
    assert document.startswith(b"%PDF")
    assert b"FontFile2" in document  # the TrueType program travels with the document


def test_without_a_font_pdfs_fall_back_to_the_viewers_cid_font(settings):
    settings.CJK_FONT_PATHS = ["/nonexistent/font.ttf"]
    pdf.pdf_font.cache_clear()
    try:
        assert pdf.pdf_font() == pdf.CID_FALLBACK
        assert b"STSong-Light" in _draw(pdf.CID_FALLBACK)
        with pytest.raises(pdf.CJKFontMissing, match="fonts-wqy-microhei"):
            pdf.image_font(20)
    finally:
        pdf.pdf_font.cache_clear()


def test_png_text_uses_the_cjk_font():
    font = pdf.image_font(24)
    left, _top, right, _bottom = font.getbbox("卡点")
    assert right - left > 24  # two full-width glyphs, not two empty boxes of nothing
