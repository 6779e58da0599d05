"""Printable documents in Chinese: one font for every PDF and PNG the platform draws.

PDFs are drawn with ReportLab. A CJK font from ``settings.CJK_FONT_PATHS`` is embedded (so the
document prints the same anywhere); without one, the Adobe CID font STSong-Light is used, which
the reader's viewer supplies. PNGs are drawn with Pillow, which needs the font file itself: an
image has no viewer to lend it glyphs, so without one ``image_font`` raises ``CJKFontMissing``,
which pages show as a message naming the package to install (and the PDF still works).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dualtrack.core.errors import DomainError

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

CJK_FONT = "DualtrackCJK"
CID_FALLBACK = "STSong-Light"


class CJKFontMissing(DomainError):
    """No font with Chinese glyphs is installed, so no image with Chinese text can be drawn."""

    status = 503
    code = "cjk_font_missing"
    default_message = _(
        "This image cannot be drawn: the server has no font with Chinese glyphs. The PDF works "
        "without one. An administrator can install one (Debian: apt-get install "
        "fonts-wqy-microhei) or point CJK_FONT_PATHS at a font file."
    )


def cjk_font_path() -> Path | None:
    """The first configured CJK font file that exists here."""
    for candidate in settings.CJK_FONT_PATHS:
        path = Path(candidate)
        if path.is_file():
            return path
    return None


@functools.cache
def pdf_font() -> str:
    """Register the CJK font with ReportLab once; the name to pass to ``setFont``."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    path = cjk_font_path()
    if path is None:
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
        return CID_FALLBACK
    options = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    pdfmetrics.registerFont(TTFont(CJK_FONT, str(path), **options))
    return CJK_FONT


def image_font(size: int) -> FreeTypeFont:
    """The CJK font at ``size`` pixels for Pillow; ``CJKFontMissing`` if none is installed."""
    from PIL import ImageFont

    path = cjk_font_path()
    if path is None:
        raise CJKFontMissing()
    return ImageFont.truetype(str(path), size)
