"""The audit history page: who changed what, before and after, scoped like the record."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from dualtrack.areas.models import OrgUnit, OrgUnitKind
from dualtrack.areas.services.organisation import org_unit_create, org_unit_update
from dualtrack.areas.services.tree import area_update
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.models import User


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_history_shows_who_changed_which_field_from_what_to_what(district, personas):
    admin = personas.district_admin
    unit = org_unit_create(
        actor=admin, kind=OrgUnitKind.WORKING_GROUP, name="宣传组", area=district.root
    )
    org_unit_update(actor=admin, unit=unit, name="宣传舆论组", responsibilities="发布疫情通报")
    response = signed_in(admin).get(f"/audit/areas/orgunit/{unit.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    newest = response.context["rows"][0]
    assert newest.entry.action == "update"
    assert newest.entry.actor == admin
    assert [(c.attname, c.before, c.after) for c in newest.changes] == [
        ("name", "宣传组", "宣传舆论组"),
        ("responsibilities", None, "发布疫情通报"),
    ]
    entry = newest.entry.pk
    label = OrgUnit._meta.get_field("name").verbose_name
    assert re.search(
        rf'data-testid="audit-{entry}-name">\s*<td>{label}</td>\s*'
        r'<td class="before wrap">宣传组</td>\s*<td class="after wrap">宣传舆论组</td>',
        html,
    )
    assert f'href="/organisation/{unit.pk}/"' in html


def test_choices_show_their_labels_and_references_their_names(district, personas):
    admin = personas.district_admin
    hq = org_unit_create(
        actor=admin, kind=OrgUnitKind.COMMAND_HQ, name="指挥部", area=district.root
    )
    unit = org_unit_create(
        actor=admin, kind=OrgUnitKind.WORKING_GROUP, name="医疗组", area=district.root, parent=hq
    )
    row = signed_in(admin).get(f"/audit/areas/orgunit/{unit.pk}/").context["rows"][0]
    after = {c.attname: c.after for c in row.changes}
    assert after["kind"] == OrgUnitKind.WORKING_GROUP.label
    assert (after["area_id"], after["parent_id"]) == ("南昌高新区", "指挥部")


def test_references_out_of_sight_show_only_their_id(district, personas):
    """The town officer reads the town command's history, not the name of the district HQ."""
    admin = personas.district_admin
    hq = org_unit_create(
        actor=admin, kind=OrgUnitKind.COMMAND_HQ, name="区指挥部", area=district.root
    )
    town = org_unit_create(
        actor=admin, kind=OrgUnitKind.TOWN_COMMAND, name="镇指挥部", area=district.town, parent=hq
    )
    response = signed_in(personas.town_officer).get(f"/audit/areas/orgunit/{town.pk}/")
    after = {c.attname: c.after for c in response.context["rows"][0].changes}
    assert (after["area_id"], after["parent_id"]) == ("昌东镇", f"#{hq.pk}")
    assert "区指挥部" not in response.content.decode()


def test_town_officer_reads_the_history_of_their_town_only(district, personas):
    admin = personas.district_admin
    mine = make_resident(actor=admin, household=make_household(actor=admin, area=district.group))
    far = make_resident(actor=admin, household=make_household(actor=admin, area=district.far_group))
    client = signed_in(personas.town_officer)
    response = client.get(f"/audit/areas/resident/{mine.pk}/")
    assert response.status_code == 200
    # Personal data appears in the trail only masked.
    html = response.content.decode()
    assert mine.id_number not in html
    assert mine.id_number_masked in html
    assert client.get(f"/audit/areas/resident/{far.pk}/").status_code == 404


def test_an_outsider_gets_not_found(district, personas):
    area_update(actor=personas.district_admin, area=district.village, name="新村", official_code="")
    response = signed_in(personas.outsider).get(f"/audit/areas/area/{district.village.pk}/")
    assert response.status_code == 404
    assert "新村" not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/audit/areas/resident/abc/", "/audit/auth/permission/1/", "/audit/nope/none/1/"],
    ids=["bad-id", "unregistered-model", "unknown-model"],
)
def test_unknown_records_are_not_found(district, personas, path):
    assert signed_in(personas.district_admin).get(path).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, district):
    response = client.get(f"/audit/areas/area/{district.root.pk}/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/")
