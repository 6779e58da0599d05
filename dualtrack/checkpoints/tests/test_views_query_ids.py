"""Ids in a page's or the API's query string come from anyone: one that is no id is ignored or
refused with a message, never a server error."""

from __future__ import annotations

import pytest

from dualtrack.core.tests.helpers import problem_of

NOT_IDS = ["²", "9" * 25]


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize(
    "path",
    [
        "/checkpoints/?town=",
        "/checkpoints/?area=",
        "/checkpoints/figures/?checkpoint=",
        "/checkpoints/figures/?area=",
        "/checkpoints/alerts/?town=",
    ],
)
def test_a_page_query_id_that_is_no_id_is_ignored(client, personas, path, value):
    client.force_login(personas.district_admin)
    assert client.get(path + value).status_code == 200


@pytest.mark.parametrize("value", [*NOT_IDS, "0"])
@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/checkpoints/alerts?checkpoint=", "checkpoint"),
        ("/api/checkpoints/alerts?town=", "town"),
        ("/api/checkpoints/figures?area=", "area"),
    ],
)
def test_an_api_query_id_that_is_no_id_is_refused_on_its_field(
    client, personas, path, field, value
):
    client.force_login(personas.district_admin)
    body = problem_of(client.get(path + value), 422, "validation_failed")
    assert [error["field"] for error in body["errors"]] == [field]
