"""Ids in a page's query string come from anyone's address bar: one that is no id is ignored
or not found, never a server error."""

from __future__ import annotations

import pytest

NOT_IDS = ["²", "9" * 25]


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("/coverage/?town=", False),
        ("/cadres/?after=", True),
        ("/cadres/?assign=", True),
        ("/cadres/new/?area=", True),
        ("/cadres/liaisons/?area=", True),
        ("/residents/?area=", True),
        ("/residents/?household=", True),
        ("/residents/?after=", True),
    ],
)
def test_a_query_id_that_is_no_id_is_not_a_server_error(client, personas, path, found, value):
    client.force_login(personas.district_admin)
    assert client.get(path + value).status_code == (200 if found else 404)
