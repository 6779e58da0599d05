"""Every persona against every representation of command's access rule on the same rows: the
queryset (selector), the per-object check, the API list and detail, the page list and detail."""

from __future__ import annotations

import re

import pytest

from dualtrack.command import access, selectors
from dualtrack.command.models import Directive
from dualtrack.command.services.directives import directive_fan_out, directive_issue
from dualtrack.command.tests.conftest import in_hours
from dualtrack.core.errors import NotFound

pytestmark = pytest.mark.django_db

PERSONAS = (
    "district_admin",
    "commander",
    "town_officer",
    "village_cadre",
    "checkpoint_staff",
    "outsider",
)


@pytest.fixture
def rows(personas, district, hq):
    to_town = directive_issue(
        actor=personas.commander,
        title="a",
        body="b",
        done_when="d",
        deadline=in_hours(5),
        area_ids=[district.town.pk],
    )
    to_other = directive_issue(
        actor=personas.commander,
        title="b",
        body="b",
        done_when="d",
        deadline=in_hours(5),
        area_ids=[district.other_town.pk],
    )
    sub = directive_fan_out(
        actor=personas.town_officer,
        assignment=to_town.assignments.get(),
        deadline=in_hours(4),
        area_ids=[district.village.pk],
    )
    return [to_town, to_other, sub]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_representation_agrees(persona, personas, rows, client):
    user = getattr(personas, persona)
    client.force_login(user)
    queryset = set(selectors.directive_list_for(user=user).values_list("pk", flat=True))
    per_object = set()
    for directive in rows:
        try:
            access.require_view(user, directive)
        except NotFound:
            continue
        per_object.add(directive.pk)
    api_list = {d["id"] for d in client.get("/api/command/directives").json()}
    page = client.get("/command/").content.decode()
    page_list = {int(i) for i in re.findall(r'data-directive="(\d+)"', page)}
    api_detail = {
        d.pk for d in rows if client.get(f"/api/command/directives/{d.pk}").status_code == 200
    }
    page_detail = {
        d.pk for d in rows if client.get(f"/command/directives/{d.pk}/").status_code == 200
    }
    assert queryset == per_object == api_list == page_list == api_detail == page_detail
    expected = {
        "district_admin": {0, 1, 2},
        "commander": {0, 1, 2},
        "town_officer": {0, 2},
        "village_cadre": {2},
        "checkpoint_staff": set(),
        "outsider": set(),
    }[persona]
    assert queryset == {rows[i].pk for i in expected}
    assert Directive.objects.count() == 3
