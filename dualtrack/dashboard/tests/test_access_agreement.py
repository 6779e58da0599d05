"""Who may open which board of the wall screen, asked every way: the queryset, the per-object
check, the API and the page — every persona against every board, all agreeing."""

from __future__ import annotations

import pytest

from dualtrack.areas.models import Area
from dualtrack.dashboard.access import boards_q, may_see_board, may_see_wall_screen

pytestmark = pytest.mark.django_db

PERSONAS = ("district_admin", "commander", "town_officer", "village_cadre", "checkpoint_staff")
# The boards each persona may open (by the conftest district's attribute names).
EXPECTED = {
    "district_admin": {"root", "town", "other_town"},
    "commander": {"root", "town", "other_town"},
    "town_officer": {"town"},
    "village_cadre": set(),
    "checkpoint_staff": set(),
    "outsider": set(),
}
AREAS = ("root", "town", "other_town", "village", "far_village", "group")


@pytest.mark.parametrize("persona", [*PERSONAS, "outsider"])
def test_every_representation_agrees(persona, personas, district, client):
    user = getattr(personas, persona)
    client.force_login(user)
    expected = EXPECTED[persona]
    by_name = {name: getattr(district, name) for name in AREAS}
    in_queryset = set(Area.objects.filter(boards_q(user)).values_list("pk", flat=True))
    assert may_see_wall_screen(user) == bool(expected)
    for name, area in by_name.items():
        allowed = name in expected
        assert (area.pk in in_queryset) == allowed, name
        assert may_see_board(user, area) == allowed, name
        api = client.get(f"/api/dashboard/boards/{area.pk}")
        page = client.get(f"/dashboard/{area.pk}/")
        if allowed:
            assert api.status_code == 200 and page.status_code == 200, name
            assert api.json()["area"]["id"] == area.pk
        elif expected:
            assert api.status_code == 404 and page.status_code == 404, name
        else:  # no board at all: refused, whichever board is asked for
            assert api.status_code == 403 and page.status_code == 403, name
    own = client.get("/api/dashboard/board")
    if expected:
        assert own.status_code == 200
        assert own.json()["area"]["code"] == min(by_name[n].code for n in expected)
    else:
        assert own.status_code == 403
        assert client.get("/dashboard/").status_code == 403
