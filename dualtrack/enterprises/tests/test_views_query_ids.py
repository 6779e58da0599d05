"""Ids in a page's query string come from anyone's address bar: one that is no id is ignored,
never a server error."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("value", ["²", "9" * 25])
@pytest.mark.parametrize(
    "path",
    ["/enterprises/?town=", "/enterprises/figures/?town=", "/enterprises/reports/missing/?town="],
)
def test_a_query_id_that_is_no_id_is_ignored(client, personas, path, value):
    client.force_login(personas.district_admin)
    assert client.get(path + value).status_code == 200


@pytest.mark.parametrize("value", ["²", "9" * 25])
def test_an_inspection_form_with_a_draw_that_is_no_id_has_no_draw(
    client, wg_enterprise, enterprise, value
):
    client.force_login(wg_enterprise)
    response = client.get(f"/enterprises/{enterprise.pk}/inspections/new/?draw={value}")
    assert response.status_code == 200
