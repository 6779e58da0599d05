"""The QR poster: an A4 PDF with the CJK font embedded and a QR code of the public link, and a
PNG image whose QR code reads back, module by module, as the link's code."""

from __future__ import annotations

import dataclasses
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


@pytest.mark.django_db
def test_png_poster_is_drawn_once_and_a_browser_asking_again_gets_304(
    as_user, checkpoint, personas, monkeypatch
):
    """Drawing the PNG is the page's cost: the picture is kept under the fingerprint of what it
    shows (its ETag). Asked again, it is not drawn again; with its ETag, the answer is a 304,
    after the same access checks; renamed or with a new QR link, it is a new picture."""
    from dualtrack.checkpoints.services.registry import checkpoint_rotate_token, checkpoint_update

    drawn = []
    draw = poster.poster_png
    monkeypatch.setattr(
        poster, "poster_png", lambda content: drawn.append(content) or draw(content)
    )
    url = reverse("checkpoint_poster_png", args=[checkpoint.pk])
    first = as_user("checkpoint_staff").get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-cache"
    etag = first["ETag"]
    again = as_user("town_officer").get(url)
    assert again.content == first.content and again["ETag"] == etag
    assert len(drawn) == 1
    unchanged = as_user("checkpoint_staff").get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == etag
    assert as_user("outsider").get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404
    assert as_user("commander").get(url, HTTP_IF_NONE_MATCH=etag).status_code == 403
    assert len(drawn) == 1

    checkpoint_update(actor=personas.district_admin, checkpoint=checkpoint, name="艾溪村西口")
    renamed = as_user("checkpoint_staff").get(url, HTTP_IF_NONE_MATCH=etag)
    assert renamed.status_code == 200 and renamed["ETag"] != etag
    assert drawn[-1].checkpoint_name == "艾溪村西口"
    checkpoint_rotate_token(actor=personas.district_admin, checkpoint=checkpoint)
    rotated = as_user("checkpoint_staff").get(url, HTTP_IF_NONE_MATCH=renamed["ETag"])
    assert rotated.status_code == 200 and rotated["ETag"] not in (etag, renamed["ETag"])
    assert checkpoint.qr_token in drawn[-1].url
    assert len(drawn) == 3


def test_the_fingerprint_changes_with_everything_the_poster_shows():
    fingerprints = {
        poster.poster_fingerprint(CONTENT),
        poster.poster_fingerprint(dataclasses.replace(CONTENT, checkpoint_name="艾溪村西口")),
        poster.poster_fingerprint(dataclasses.replace(CONTENT, place="昌东镇 麻丘村")),
        poster.poster_fingerprint(dataclasses.replace(CONTENT, url=URL.replace("7m4", "8m4"))),
        poster.poster_fingerprint(dataclasses.replace(CONTENT, day=date(2020, 2, 4))),
    }
    assert len(fingerprints) == 5
    assert poster.poster_fingerprint(CONTENT) == poster.poster_fingerprint(
        dataclasses.replace(CONTENT)
    )
