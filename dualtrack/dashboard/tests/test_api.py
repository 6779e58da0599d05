"""The wall screen's API and page: one answer with every panel, scoped to the board; the map of
the board's children; out of sight as missing; the menu's entry; the route in OpenAPI."""

from __future__ import annotations

import pytest

from dualtrack.areas.models import Area

pytestmark = pytest.mark.django_db


def test_an_out_of_sight_board_answers_as_a_missing_one(as_user, district):
    client = as_user("town_officer")
    missing = Area.objects.order_by("-pk").first().pk + 1000
    out_of_sight = client.get(f"/api/dashboard/boards/{district.other_town.pk}")
    absent = client.get(f"/api/dashboard/boards/{missing}")
    assert out_of_sight.status_code == absent.status_code == 404
    volatile = ("request_id", "instance")
    assert {k: v for k, v in out_of_sight.json().items() if k not in volatile} == {
        k: v for k, v in absent.json().items() if k not in volatile
    }
    assert client.get(f"/api/dashboard/boards/{district.root.pk}/map").status_code == 404


def test_a_town_officer_board_is_their_town_with_its_villages_on_the_map(as_user, district):
    district.village.geometry = {
        "type": "Polygon",
        "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]],
    }
    district.village.save()
    client = as_user("town_officer")
    board = client.get("/api/dashboard/board").json()
    assert board["area"] == {
        "id": district.town.pk,
        "code": district.town.code,
        "name": district.town.name,
        "kind": "town",
    }
    assert board["parent"] is None  # the district's board is not theirs
    assert all(p["track"] in ("prevention", "production") for p in board["panels"])
    for panel in board["panels"]:
        if panel["chart"] == "map":
            codes = {a["code"] for a in panel["data"]["areas"]}
            assert codes == {district.village.code, district.sibling_village.code}
    geo = client.get(f"/api/dashboard/boards/{district.town.pk}/map").json()
    assert geo["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in geo["features"]] == [district.village.code]
    assert geo["features"][0]["properties"]["board"] is False  # a village has no board


def test_the_district_board_links_its_towns_and_a_town_board_goes_up(as_user, district):
    district.town.geometry = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    district.town.save()
    client = as_user("commander")
    geo = client.get(f"/api/dashboard/boards/{district.root.pk}/map").json()
    assert [(f["properties"]["id"], f["properties"]["board"]) for f in geo["features"]] == [
        (district.town.pk, True)
    ]
    town = client.get(f"/api/dashboard/boards/{district.town.pk}").json()
    assert town["parent"]["id"] == district.root.pk


def test_the_page_embeds_the_board_the_map_and_the_refresh(as_user, district, settings):
    settings.DASHBOARD_REFRESH_SECONDS = 2.5
    page = as_user("town_officer").get("/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="wall-board"' in html and 'id="wall-map"' in html
    assert 'data-refresh="2500"' in html
    assert f'data-api="/api/dashboard/boards/{district.town.pk}"' in html
    assert district.town.name in html


def test_the_menu_offers_the_wall_screen_to_those_who_have_a_board(as_user):
    assert 'href="/dashboard/"' in as_user("town_officer").get("/").content.decode()
    assert 'href="/dashboard/"' not in as_user("village_cadre").get("/").content.decode()


def test_the_routes_are_in_openapi_with_their_schema(client):
    schema = client.get("/api/openapi.json").json()
    board = schema["paths"]["/api/dashboard/boards/{area_id}"]["get"]
    assert board["operationId"] == "dashboard_board_get"
    ref = board["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/BoardOut")
    out = schema["components"]["schemas"]["BoardOut"]
    assert {"area", "parent", "day", "generated_at", "panels"} <= set(out["properties"])
    assert "/api/dashboard/board" in schema["paths"]
    assert "/api/dashboard/boards/{area_id}/map" in schema["paths"]


def test_a_panel_registered_by_a_later_app_is_on_the_board(as_user, monkeypatch):
    """A new app adds its panel through the app contract alone: no dashboard code changes."""
    from dualtrack.core import platform

    def later_data(*, user, area, day):
        return {"items": [{"label": "志愿者在岗", "value": 7, "unit": ""}]}

    later = platform.AppContribution(
        label="later",
        panels=(platform.Panel("later.on_duty", "On duty", "production", "figures", later_data),),
    )
    monkeypatch.setitem(platform._contributions, "later", later)
    board = as_user("commander").get("/api/dashboard/board").json()
    panel = next(p for p in board["panels"] if p["key"] == "later.on_duty")
    assert panel["data"]["items"][0]["value"] == 7 and panel["track"] == "production"


def test_a_panel_key_claimed_twice_is_refused():
    from dualtrack.core import platform

    existing = platform.panels()[0]
    with pytest.raises(ValueError, match="two panels"):
        platform.register(platform.AppContribution(label="copycat", panels=(existing,)))
