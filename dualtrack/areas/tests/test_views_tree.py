"""The home page, the district tree pages and the areas admin, per persona and scope."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dualtrack.areas.models import Area, AreaKind
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.models import AuditAction, AuditEntry


def zh(msgid: str) -> str:
    """A message as a Chinese page shows it, escaped like the template escapes it."""
    with translation.override("zh-hans"):
        return html.escape(gettext(msgid))


@pytest.fixture
def people(district, personas):
    """Two residents in the village cadre's group, one in the other town."""
    admin = personas.district_admin
    near = make_household(actor=admin, area=district.group)
    far = make_household(actor=admin, area=district.far_group)
    return [
        make_resident(actor=admin, household=near, name="王芳"),
        make_resident(actor=admin, household=near, name="李强"),
        make_resident(actor=admin, household=far, name="赵敏"),
    ]


# --- Home ----------------------------------------------------------------------------------------


def test_home_requires_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_for_a_district_admin_shows_grants_links_and_district_counts(
    client, district, personas, people
):
    client.force_login(personas.district_admin)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert [(g.role, g.area) for g in response.context["grants"]] == [
        ("district_admin", district.root)
    ]
    counts = response.context["counts"]
    assert (counts.towns, counts.villages, counts.groups) == (2, 3, 2)
    assert (counts.households, counts.residents) == (2, 3)
    assert 'id="headline-counts"' in page
    urls = [link.url for link in response.context["links"]]
    assert {reverse("area_index"), reverse("resident_list"), "/coverage/", "/staff/"} <= set(urls)
    assert "/residents/import/" in urls


def test_home_for_a_commander_has_counts_but_no_import_or_staff(client, personas, people):
    client.force_login(personas.commander)
    response = client.get(reverse("home"))
    assert response.context["counts"].residents == 3
    urls = [link.url for link in response.context["links"]]
    assert "/residents/import/" not in urls
    assert "/staff/" not in urls
    assert "/organisation/" in urls


def test_home_for_a_village_cadre_shows_their_village_and_no_district_counts(
    client, district, personas, people
):
    client.force_login(personas.village_cadre)
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.context["counts"] is None
    assert 'id="headline-counts"' not in page
    assert reverse("area_detail", args=[district.village.pk]) in page
    assert district.village.name in page
    urls = [link.url for link in response.context["links"]]
    assert "/residents/import/" in urls
    assert "/organisation/" not in urls


def test_home_for_a_user_without_roles_says_so(client, personas):
    client.force_login(personas.outsider)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'id="no-roles"' in response.content.decode()
    assert response.context["links"] == []
    assert response.context["counts"] is None


# --- Tree ----------------------------------------------------------------------------------------


def test_area_index_goes_straight_to_the_single_root(client, district, personas):
    client.force_login(personas.town_officer)
    response = client.get(reverse("area_index"))
    assert response.status_code == 302
    assert response.url == reverse("area_detail", args=[district.town.pk])


def test_area_index_for_a_user_without_roles_is_empty(client, personas):
    client.force_login(personas.outsider)
    response = client.get(reverse("area_index"))
    assert response.status_code == 200
    assert response.context["roots"] == []


def test_area_detail_lists_children_with_their_counts(
    client, district, personas, people, django_assert_max_num_queries
):
    client.force_login(personas.district_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("area_detail", args=[district.root.pk]))
    assert response.status_code == 200
    rows = {row.area.name: row for row in response.context["summary"].children}
    assert list(rows) == ["昌东镇", "麻丘镇"]
    assert (rows["昌东镇"].children, rows["昌东镇"].households, rows["昌东镇"].residents) == (
        2,
        1,
        2,
    )
    assert (rows["麻丘镇"].children, rows["麻丘镇"].households, rows["麻丘镇"].residents) == (
        1,
        1,
        1,
    )
    assert response.context["summary"].residents == 3
    assert 'id="child-form"' in response.content.decode()


def test_area_detail_for_a_town_officer_shows_no_tree_forms(client, district, personas, people):
    client.force_login(personas.town_officer)
    response = client.get(reverse("area_detail", args=[district.town.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="child-form"' not in page
    assert reverse("area_edit", args=[district.town.pk]) not in page
    assert response.context["summary"].residents == 2
    # The district above is named in the breadcrumb but is not a link for them.
    assert district.root.name in page
    assert reverse("area_detail", args=[district.root.pk]) not in page


def test_area_outside_the_scope_is_not_found(client, district, personas):
    client.force_login(personas.town_officer)
    response = client.get(reverse("area_detail", args=[district.other_town.pk]))
    assert response.status_code == 404
    assert 'id="not-found"' in response.content.decode()


def test_village_cadre_sees_their_village_not_its_sibling(client, district, personas):
    client.force_login(personas.village_cadre)
    assert client.get(reverse("area_detail", args=[district.village.pk])).status_code == 200
    assert client.get(reverse("area_detail", args=[district.group.pk])).status_code == 200
    assert client.get(reverse("area_detail", args=[district.sibling_village.pk])).status_code == 404
    assert client.get(reverse("area_detail", args=[district.town.pk])).status_code == 404


def test_user_without_roles_finds_no_area(client, district, personas):
    client.force_login(personas.outsider)
    assert client.get(reverse("area_detail", args=[district.root.pk])).status_code == 404


def test_admin_adds_a_child_area_through_the_service(client, district, personas):
    client.force_login(personas.district_admin)
    response = client.post(
        reverse("area_child_create", args=[district.other_town.pk]),
        {"kind": AreaKind.VILLAGE, "name": "新村", "official_code": ""},
    )
    assert response.status_code == 302
    assert response.url == reverse("area_detail", args=[district.other_town.pk])
    child = Area.objects.get(name="新村")
    assert child.parent == district.other_town
    assert child.code.startswith(district.other_town.code)
    assert AuditEntry.objects.filter(target_id=str(child.pk), action=AuditAction.CREATE).exists()


def test_bad_child_area_shows_the_messages_and_writes_nothing(client, district, personas):
    client.force_login(personas.district_admin)
    before = Area.objects.count()
    response = client.post(
        reverse("area_child_create", args=[district.town.pk]),
        {"kind": AreaKind.VILLAGE, "name": "新村", "official_code": "12345"},
    )
    assert response.status_code == 200
    assert zh("A GB/T 2260 code has 6, 9 or 12 digits.") in response.content.decode()
    assert response.context["child_form"].errors["official_code"]

    response = client.post(
        reverse("area_child_create", args=[district.town.pk]),
        {"kind": AreaKind.VILLAGE, "name": district.village.name, "official_code": ""},
    )
    assert response.context["child_form"].errors["name"]

    response = client.post(
        reverse("area_child_create", args=[district.town.pk]),
        {"kind": AreaKind.GROUP, "name": "一组", "official_code": ""},
    )
    assert response.context["child_form"].errors["kind"]
    assert Area.objects.count() == before


def test_town_officer_may_not_add_areas(client, district, personas):
    client.force_login(personas.town_officer)
    before = Area.objects.count()
    response = client.post(
        reverse("area_child_create", args=[district.town.pk]),
        {"kind": AreaKind.VILLAGE, "name": "新村"},
    )
    assert response.status_code == 403
    assert 'id="forbidden"' in response.content.decode()
    assert Area.objects.count() == before


def test_adding_under_an_area_outside_the_scope_is_not_found(client, district, personas):
    client.force_login(personas.town_officer)
    response = client.post(
        reverse("area_child_create", args=[district.other_town.pk]),
        {"kind": AreaKind.VILLAGE, "name": "新村"},
    )
    assert response.status_code == 404


def test_admin_renames_an_area_and_sets_its_official_code(client, district, personas):
    client.force_login(personas.district_admin)
    url = reverse("area_edit", args=[district.other_town.pk])
    assert client.get(url).context["form"].initial["name"] == "麻丘镇"
    response = client.post(url, {"name": "麻丘街道", "official_code": "360192101"})
    assert response.status_code == 302
    district.other_town.refresh_from_db()
    assert (district.other_town.name, district.other_town.official_code) == (
        "麻丘街道",
        "360192101",
    )


def test_edit_with_a_taken_official_code_shows_the_message_and_changes_nothing(
    client, district, personas
):
    client.force_login(personas.district_admin)
    response = client.post(
        reverse("area_edit", args=[district.other_town.pk]),
        {"name": "麻丘街道", "official_code": district.town.official_code},
    )
    assert response.status_code == 200
    assert zh("Another area already has this GB/T 2260 code.") in response.content.decode()
    district.other_town.refresh_from_db()
    assert (district.other_town.name, district.other_town.official_code) == ("麻丘镇", "")


def test_town_officer_may_not_edit_their_town(client, district, personas):
    client.force_login(personas.town_officer)
    url = reverse("area_edit", args=[district.town.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "改名", "official_code": ""}).status_code == 403
    district.town.refresh_from_db()
    assert district.town.name == "昌东镇"


def test_an_empty_area_is_removed_after_confirmation(client, district, personas):
    client.force_login(personas.district_admin)
    url = reverse("area_delete", args=[district.sibling_village.pk])
    assert client.get(url).status_code == 200
    assert Area.objects.filter(pk=district.sibling_village.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("area_detail", args=[district.town.pk])
    assert not Area.objects.filter(pk=district.sibling_village.pk).exists()


def test_an_area_that_holds_something_is_not_removed(client, district, personas):
    client.force_login(personas.district_admin)
    response = client.post(reverse("area_delete", args=[district.village.pk]))
    assert response.status_code == 200
    assert zh("Only an empty area can be removed: move or remove what it holds first.") in (
        response.content.decode()
    )
    assert Area.objects.filter(pk=district.village.pk).exists()


# --- Admin ---------------------------------------------------------------------------------------


@pytest.fixture
def staff_town_officer(personas):
    """The town officer, given admin access with every permission of the areas app: what they
    may then do is decided by the admin's scoping and read-only rules."""
    from django.contrib.auth.models import Permission

    user = personas.town_officer
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="areas"))
    return user


def test_admin_area_list_is_limited_to_the_scope(client, district, staff_town_officer):
    client.force_login(staff_town_officer)
    response = client.get(reverse("admin:areas_area_changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert district.village in shown
    assert district.other_town not in shown
    assert district.root not in shown
    url = reverse("admin:areas_area_change", args=[district.other_town.pk])
    assert client.get(url).status_code in (302, 404)


def test_admin_resident_list_is_scoped_and_masked(client, district, staff_town_officer, people):
    client.force_login(staff_town_officer)
    response = client.get(reverse("admin:areas_resident_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert {r.name for r in response.context["cl"].result_list} == {"王芳", "李强"}
    for resident in people[:2]:
        assert resident.id_number not in page
        assert resident.id_number_masked in page
    change = client.get(reverse("admin:areas_resident_change", args=[people[0].pk]))
    assert change.status_code == 200
    assert people[0].id_number not in change.content.decode()
    assert 'name="id_number"' not in change.content.decode()


def test_admin_people_records_are_read_only(client, district, staff_town_officer, people):
    client.force_login(staff_town_officer)
    url = reverse("admin:areas_resident_change", args=[people[0].pk])
    response = client.post(url, {"name": "改名"})
    assert response.status_code == 403
    people[0].refresh_from_db()
    assert people[0].name == "王芳"
    delete = reverse("admin:areas_resident_delete", args=[people[0].pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:areas_household_add")).status_code == 403


def test_admin_areas_are_read_only_without_the_tree_role(client, district, staff_town_officer):
    client.force_login(staff_town_officer)
    url = reverse("admin:areas_area_change", args=[district.village.pk])
    response = client.post(url, {"name": "改名", "official_code": ""})
    assert response.status_code == 403
    district.village.refresh_from_db()
    assert district.village.name == "艾溪村"
    assert client.get(reverse("admin:areas_area_add")).status_code == 403


def test_admin_superuser_saves_areas_through_the_service(client, district, personas):
    admin = personas.district_admin
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(admin)

    response = client.post(
        reverse("admin:areas_area_add"),
        {"parent": district.other_town.pk, "kind": AreaKind.COMMUNITY, "name": "新社区"},
    )
    assert response.status_code == 302
    created = Area.objects.get(name="新社区")
    assert created.code.startswith(district.other_town.code)
    assert AuditEntry.objects.filter(target_id=str(created.pk), action=AuditAction.CREATE).exists()

    response = client.post(
        reverse("admin:areas_area_change", args=[created.pk]),
        {"name": "新社区", "official_code": "bad"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["official_code"]
    created.refresh_from_db()
    assert created.official_code == ""
