"""The QR poster: an A4 PDF with the CJK font embedded and a QR code of the public link, and a
PNG image whose QR code reads back, module by module, as the link's code."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from PIL import Image

from dualtrack.checkpoints import poster

URL = "https://dualtrack.example/q/7m4tJq3oVd1xN0yK2bW8cA5sE9uR6hLp/"
CONTENT = poster.PosterContent(
    checkpoint_name="艾溪村东口", place="昌东镇 艾溪村", url=URL, day=date(2020, 2, 3)
)


def test_pdf_is_an_a4_page_with_the_font_embedded():
    body = poster.poster_pdf(CONTENT)
    assert body.startswith(b"%PDF-")
    assert body.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in body
    assert b"/FontFile2" in body  # the TrueType CJK font travels with the document
    assert b"/ToUnicode" in body  # and maps its glyphs back to text: the words can be copied


def test_qr_code_holds_the_public_link():
    qr = poster.poster_qr(URL)
    assert qr.error == "Q"
    # segno's own encoding of the same text at the same settings is the same symbol.
    import segno

    assert qr.matrix == segno.make_qr(URL, error="q", boost_error=False).matrix
    assert qr.designator.endswith("Q")


def test_png_is_a4_shaped_and_its_qr_code_reads_back():
    image = Image.open(io.BytesIO(poster.poster_png(CONTENT)))
    assert image.format == "PNG"
    assert image.size == (poster.PNG_WIDTH, poster.PNG_HEIGHT)
    # Sample the centre of every module of the pasted QR code and compare with the code.
    qr = poster.poster_qr(URL)
    scale = poster.qr_png_scale(URL)
    side = (len(qr.matrix) + 8) * scale
    left = (poster.PNG_WIDTH - side) // 2
    top = poster.QR_TOP
    gray = image.convert("L")
    read = [
        [
            gray.getpixel(
                (left + (4 + col) * scale + scale // 2, top + (4 + row) * scale + scale // 2)
            )
            < 128
            for col in range(len(qr.matrix))
        ]
        for row in range(len(qr.matrix))
    ]
    assert read == [[bool(cell) for cell in row] for row in qr.matrix]


@pytest.mark.django_db
def test_poster_views_for_staff_and_managers(as_user, checkpoint):
    staff = as_user("checkpoint_staff")
    pdf = staff.get(reverse("checkpoint_poster_pdf", args=[checkpoint.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    png = staff.get(reverse("checkpoint_poster_png", args=[checkpoint.pk]))
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (poster.PNG_WIDTH, poster.PNG_HEIGHT)
    town = as_user("town_officer")
    assert town.get(reverse("checkpoint_poster_pdf", args=[checkpoint.pk])).status_code == 200


@pytest.mark.django_db
def test_poster_out_of_scope_or_without_permission_is_refused(as_user, checkpoint, personas):
    assert (
        as_user("outsider").get(reverse("checkpoint_poster_pdf", args=[checkpoint.pk])).status_code
        == 404
    )
    # The commander sees every checkpoint but neither manages nor staffs one.
    assert (
        as_user("commander").get(reverse("checkpoint_poster_png", args=[checkpoint.pk])).status_code
        == 403
    )


@pytest.mark.django_db
def test_png_poster_without_a_cjk_font_says_what_is_missing(as_user, checkpoint, settings):
    """With CJK_FONT_PATHS pointing at nothing, the PNG is a page naming the font package and
    offering the PDF (which falls back to the viewer's font), not a 500."""
    from dualtrack.core import pdf

    settings.CJK_FONT_PATHS = ["/nonexistent/font.ttf"]
    pdf.pdf_font.cache_clear()
    try:
        staff = as_user("checkpoint_staff")
        png = staff.get(reverse("checkpoint_poster_png", args=[checkpoint.pk]))
        assert png.status_code == 503
        assert png["Content-Type"].startswith("text/html")
        page = png.content.decode()
        assert "fonts-wqy-microhei" in page
        assert reverse("checkpoint_poster_pdf", args=[checkpoint.pk]) in page
        pdf_answer = staff.get(reverse("checkpoint_poster_pdf", args=[checkpoint.pk]))
        assert pdf_answer.status_code == 200
        assert b"STSong-Light" in pdf_answer.content
    finally:
        pdf.pdf_font.cache_clear()
