from __future__ import annotations

from io import BytesIO

from PIL import Image


def test_the_favicon_is_a_file_that_sets_no_cookie(client, personas):
    """Browsers fetch /favicon.ico for every page, the API's JSON included, often after the
    page itself. Served by a view, it would render the 404 page and re-send the CSRF cookie
    of the moment it was asked, overwriting a newer one: a sign-in right after would fail."""
    client.force_login(personas.town_officer)
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert not response.cookies
    body = b"".join(response.streaming_content)
    assert Image.open(BytesIO(body)).format == "ICO"


def test_every_page_points_at_the_favicon(client):
    assert '<link rel="icon" href="/favicon.ico">' in client.get("/login/").text
