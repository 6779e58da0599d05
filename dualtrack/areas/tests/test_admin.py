"""The areas' admin, on the core's scoped base: the tree and the people of the user's scope
only, out of sight is not found, and the tree is written only by those who manage it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dualtrack.areas.tests.factories import make_household, make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_staff(personas):
    personas.town_officer.is_staff = True
    personas.town_officer.save()
    return personas.town_officer


def test_a_town_officer_sees_their_towns_areas_and_residents_only(client, district, town_staff):
    client.force_login(town_staff)
    listing = client.get(reverse("admin:areas_area_changelist"))
    codes = {a.code for a in listing.context["cl"].result_list}
    assert district.village.code in codes
    assert district.far_village.code not in codes and district.root.code not in codes
    far = client.get(reverse("admin:areas_area_change", args=[district.far_village.pk]))
    assert far.status_code == 404


def test_residents_out_of_scope_are_not_found(client, district, personas, town_staff):
    boss = personas.district_admin
    far = make_resident(actor=boss, household=make_household(actor=boss, area=district.far_group))
    mine = make_resident(actor=boss, household=make_household(actor=boss, area=district.group))
    client.force_login(town_staff)
    ok = client.get(reverse("admin:areas_resident_change", args=[mine.pk]))
    assert ok.status_code == 200
    assert mine.id_number not in ok.content.decode()
    assert client.get(reverse("admin:areas_resident_change", args=[far.pk])).status_code == 404


def test_only_those_who_manage_the_tree_add_areas(client, district, personas, town_staff):
    client.force_login(town_staff)
    assert client.get(reverse("admin:areas_area_add")).status_code == 403
    boss = personas.district_admin
    boss.is_staff = True
    boss.save()
    client.force_login(boss)
    assert client.get(reverse("admin:areas_area_add")).status_code == 200
