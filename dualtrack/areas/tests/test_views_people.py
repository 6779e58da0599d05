"""Households and residents pages: lists, search, forms, and the audited reveal."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dualtrack.areas.models import Household, Resident
from dualtrack.areas.services.people import resident_create
from dualtrack.areas.tests.factories import (
    make_household,
    make_id_number,
    make_phone,
    make_resident,
)
from dualtrack.core.models import AuditAction, AuditEntry

HTMX = {"HX-Request": "true"}


def zh(msgid: str) -> str:
    """A message as a Chinese page shows it, escaped like the template escapes it."""
    with translation.override("zh-hans"):
        return html.escape(gettext(msgid))


@pytest.fixture
def near_household(district, personas) -> Household:
    return make_household(actor=personas.district_admin, area=district.group, address="艾溪路1号")


@pytest.fixture
def far_household(district, personas) -> Household:
    return make_household(actor=personas.district_admin, area=district.far_group)


@pytest.fixture
def wang(personas, near_household) -> Resident:
    return make_resident(
        actor=personas.district_admin, household=near_household, name="王芳", phone="13912345678"
    )


@pytest.fixture
def zhao(personas, far_household) -> Resident:
    return make_resident(actor=personas.district_admin, household=far_household, name="赵敏")


def _reveals() -> int:
    return AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).count()


# --- Households ----------------------------------------------------------------------------------


def test_household_list_of_a_group_for_its_cadre(client, district, personas, wang, zhao):
    client.force_login(personas.village_cadre)
    response = client.get(reverse("household_list", args=[district.group.pk]))
    assert response.status_code == 200
    assert [(h.pk, n) for h, n in response.context["rows"]] == [(wang.household_id, 1)]
    assert 'id="household-form"' in response.content.decode()


def test_household_list_outside_the_scope_is_not_found(client, district, personas):
    client.force_login(personas.village_cadre)
    assert client.get(reverse("household_list", args=[district.far_group.pk])).status_code == 404


def test_household_list_of_a_town_has_no_register_form(client, district, personas, wang):
    client.force_login(personas.town_officer)
    response = client.get(reverse("household_list", args=[district.town.pk]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1
    assert response.context["form"] is None


def test_checkpoint_staff_see_households_but_cannot_register(client, district, personas, wang):
    client.force_login(personas.checkpoint_staff)
    response = client.get(reverse("household_list", args=[district.group.pk]))
    assert response.status_code == 200
    assert response.context["form"] is None
    response = client.post(
        reverse("household_create", args=[district.group.pk]), {"number": "9", "address": "x"}
    )
    assert response.status_code == 403
    assert Household.objects.count() == 1


def test_household_list_is_paginated_by_keyset(
    client, district, personas, django_assert_max_num_queries
):
    for _ in range(52):
        make_household(actor=personas.district_admin, area=district.group)
    client.force_login(personas.village_cadre)
    url = reverse("household_list", args=[district.group.pk])
    with django_assert_max_num_queries(10):
        first = client.get(url)
    assert len(first.context["rows"]) == 50
    after = first.context["next_after"]
    assert f"after={after}" in first.content.decode()
    second = client.get(url, {"after": after})
    assert len(second.context["rows"]) == 2
    assert second.context["next_after"] is None


def test_cadre_registers_a_household(client, district, personas):
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("household_create", args=[district.group.pk]),
        {"number": "0101", "address": "艾溪路2号"},
    )
    household = Household.objects.get(number="0101")
    assert response.status_code == 302
    assert response.url == reverse("household_detail", args=[household.pk])
    assert household.area == district.group


def test_duplicate_household_number_shows_the_message_and_writes_nothing(
    client, district, personas, near_household
):
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("household_create", args=[district.group.pk]),
        {"number": near_household.number, "address": "别处"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    assert zh("This household number is already used here.") in response.content.decode()
    assert Household.objects.count() == 1


def test_household_detail_shows_residents_masked(client, personas, wang):
    client.force_login(personas.town_officer)
    response = client.get(reverse("household_detail", args=[wang.household_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert wang.name in page
    assert wang.id_number_masked in page
    assert wang.id_number not in page
    assert wang.phone not in page


def test_household_outside_the_scope_is_not_found(client, personas, zhao):
    client.force_login(personas.village_cadre)
    assert client.get(reverse("household_detail", args=[zhao.household_id])).status_code == 404
    assert client.get(reverse("household_edit", args=[zhao.household_id])).status_code == 404


def test_household_edit_and_removal_of_an_empty_household(client, personas, near_household):
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("household_edit", args=[near_household.pk]),
        {"number": near_household.number, "address": "新地址"},
    )
    assert response.status_code == 302
    near_household.refresh_from_db()
    assert near_household.address == "新地址"
    response = client.post(reverse("household_delete", args=[near_household.pk]))
    assert response.status_code == 302
    assert not Household.objects.filter(pk=near_household.pk).exists()


def test_a_household_with_residents_is_not_removed(client, personas, wang):
    client.force_login(personas.village_cadre)
    response = client.post(reverse("household_delete", args=[wang.household_id]))
    assert response.status_code == 200
    assert zh("Move or remove the household's residents first.") in response.content.decode()
    assert Household.objects.filter(pk=wang.household_id).exists()


def test_cadre_adds_a_resident_from_the_household_page(client, personas, near_household):
    client.force_login(personas.village_cadre)
    id_number = make_id_number(birth="19850315", male=False)
    response = client.post(
        reverse("resident_create", args=[near_household.pk]),
        {
            "name": "刘洋",
            "id_number": id_number,
            "phone": "139 1234 0000",
            "relation": "spouse",
            "residence": "registered",
        },
    )
    assert response.status_code == 302
    resident = Resident.objects.get(name="刘洋")
    assert resident.household == near_household
    assert resident.phone == "13912340000"
    assert str(resident.birth_date) == "1985-03-15"


def test_bad_resident_shows_every_message_and_writes_nothing(client, personas, near_household):
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("resident_create", args=[near_household.pk]),
        {
            "name": "刘洋",
            "id_number": "110105194912310021",
            "phone": "12345",
            "relation": "spouse",
            "residence": "registered",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"id_number", "phone"}
    page = response.content.decode()
    assert page.count('class="field-error"') == 2
    assert 'id="resident-form"' in page
    assert not Resident.objects.exists()


def test_a_missing_name_does_not_hide_the_other_problems(client, personas, near_household):
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("resident_create", args=[near_household.pk]),
        {"name": " ", "id_number": "1234", "phone": "12345", "relation": "x", "residence": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "id_number", "phone", "relation", "residence"}
    assert not Resident.objects.exists()


def test_an_id_number_registered_elsewhere_is_refused_on_the_form(
    client, personas, near_household, zhao
):
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("resident_create", args=[near_household.pk]),
        {
            "name": "重复",
            "id_number": zhao.id_number,
            "relation": "other",
            "residence": "registered",
        },
    )
    assert response.status_code == 200
    assert zh("A resident with this ID number is already registered.") in (
        response.content.decode()
    )
    assert Resident.objects.count() == 1


def test_adding_a_resident_outside_the_scope_is_not_found(client, personas, far_household):
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("resident_create", args=[far_household.pk]),
        {
            "name": "外人",
            "id_number": make_id_number(),
            "relation": "other",
            "residence": "registered",
        },
    )
    assert response.status_code == 404
    assert not Resident.objects.exists()


# --- Resident list and search --------------------------------------------------------------------


def test_resident_list_shows_only_the_scope(client, personas, wang, zhao):
    client.force_login(personas.village_cadre)
    response = client.get(reverse("resident_list"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["residents"]] == [wang.pk]
    page = response.content.decode()
    assert zhao.name not in page
    assert wang.id_number not in page and wang.id_number_masked in page


def test_resident_search_by_name_id_number_and_phone(client, personas, wang, zhao):
    client.force_login(personas.district_admin)
    url = reverse("resident_list")

    def found(query):
        return [r.pk for r in client.get(url, {"q": query}).context["residents"]]

    assert found("王") == [wang.pk]
    assert found(wang.id_number.lower()) == [wang.pk]
    assert found(zhao.id_number) == [zhao.pk]
    assert found("13912345678") == [wang.pk]
    assert found(wang.id_number[:10]) == []


def test_resident_search_outside_the_scope_finds_nothing(client, personas, zhao):
    client.force_login(personas.village_cadre)
    response = client.get(reverse("resident_list"), {"q": zhao.id_number})
    assert response.context["residents"] == []


def test_resident_list_filtered_by_area_and_out_of_scope_area(client, district, personas, wang):
    client.force_login(personas.town_officer)
    url = reverse("resident_list")
    assert [r.pk for r in client.get(url, {"area": district.village.pk}).context["residents"]] == [
        wang.pk
    ]
    assert client.get(url, {"area": district.sibling_village.pk}).context["residents"] == []
    assert client.get(url, {"area": district.far_village.pk}).status_code == 404


def test_htmx_search_returns_only_the_rows(client, personas, wang):
    client.force_login(personas.village_cadre)
    response = client.get(reverse("resident_list"), {"q": "王"}, headers=HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="rows"')
    assert "<html" not in page
    assert wang.name in page
    assert "HX-Request" in response.headers["Vary"]


def test_resident_list_is_paginated_by_keyset_50_at_a_time(
    client, personas, near_household, django_assert_max_num_queries
):
    for n in range(51):
        resident_create(
            actor=personas.district_admin,
            household=near_household,
            name=f"居民{n}",
            id_number=make_id_number(birth=f"1970{1 + n % 12:02d}{1 + n // 12:02d}"),
            phone=make_phone(),
        )
    client.force_login(personas.village_cadre)
    with django_assert_max_num_queries(8):
        first = client.get(reverse("resident_list"), {"q": "居民"})
    residents = first.context["residents"]
    assert len(residents) == 50
    assert first.context["next_after"] == residents[-1].pk
    assert f"after={residents[-1].pk}" in first.content.decode()
    second = client.get(reverse("resident_list"), {"q": "居民", "after": residents[-1].pk})
    assert [r.name for r in second.context["residents"]] == ["居民50"]
    assert second.context["next_after"] is None


# --- Resident detail and reveal ------------------------------------------------------------------


def test_resident_detail_is_masked_and_offers_reveal_to_the_cadre(client, personas, wang):
    client.force_login(personas.village_cadre)
    response = client.get(reverse("resident_detail", args=[wang.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert wang.id_number_masked in page and wang.phone_masked in page
    assert wang.id_number not in page and wang.phone not in page
    assert reverse("resident_reveal", args=[wang.pk]) in page
    assert _reveals() == 0


def test_resident_detail_for_the_town_officer_has_no_reveal(client, personas, wang):
    client.force_login(personas.town_officer)
    response = client.get(reverse("resident_detail", args=[wang.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("resident_reveal", args=[wang.pk]) not in page
    assert f"/audit/areas/resident/{wang.pk}/" in page


def test_resident_outside_the_scope_is_not_found(client, personas, zhao):
    client.force_login(personas.village_cadre)
    for name in ("resident_detail", "resident_edit"):
        assert client.get(reverse(name, args=[zhao.pk])).status_code == 404
    assert client.post(reverse("resident_reveal", args=[zhao.pk]), headers=HTMX).status_code == 404
    assert _reveals() == 0


def test_reveal_by_htmx_returns_the_fragment_and_is_audited(client, personas, wang):
    client.force_login(personas.village_cadre)
    response = client.post(reverse("resident_reveal", args=[wang.pk]), headers=HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="personal-data"')
    assert "<html" not in page
    assert wang.id_number in page and wang.phone in page
    assert "no-store" in response.headers["Cache-Control"]
    entry = AuditEntry.objects.get(action=AuditAction.VIEW_PERSONAL_DATA)
    assert entry.actor == personas.village_cadre
    assert entry.target_id == str(wang.pk)


def test_reveal_without_htmx_renders_the_whole_page(client, personas, wang):
    client.force_login(personas.district_admin)
    response = client.post(reverse("resident_reveal", args=[wang.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page and wang.id_number in page
    assert _reveals() == 1


def test_reveal_is_refused_to_the_town_officer_and_not_audited(client, personas, wang):
    client.force_login(personas.town_officer)
    response = client.post(reverse("resident_reveal", args=[wang.pk]), headers=HTMX)
    assert response.status_code == 403
    assert wang.id_number not in response.content.decode()
    assert _reveals() == 0


def test_reveal_takes_a_post(client, personas, wang):
    client.force_login(personas.village_cadre)
    assert client.get(reverse("resident_reveal", args=[wang.pk])).status_code == 405
    assert _reveals() == 0


# --- Resident edit and removal -------------------------------------------------------------------


def test_edit_form_never_shows_the_stored_numbers(client, personas, wang):
    client.force_login(personas.town_officer)
    response = client.get(reverse("resident_edit", args=[wang.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert wang.id_number not in page and wang.phone not in page
    assert wang.id_number_masked in page
    assert _reveals() == 0


def test_edit_with_empty_numbers_keeps_them(client, personas, wang):
    client.force_login(personas.town_officer)
    response = client.post(
        reverse("resident_edit", args=[wang.pk]),
        {
            "name": "王芳芳",
            "id_number": "",
            "phone": "",
            "relation": "head",
            "residence": "resident",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("resident_detail", args=[wang.pk])
    updated = Resident.objects.get(pk=wang.pk)
    assert (updated.name, updated.relation, updated.residence) == ("王芳芳", "head", "resident")
    assert (updated.id_number, updated.phone) == (wang.id_number, wang.phone)


def test_edit_can_replace_and_remove_the_mobile(client, personas, wang):
    client.force_login(personas.village_cadre)
    url = reverse("resident_edit", args=[wang.pk])
    form = {"name": wang.name, "id_number": "", "relation": "other", "residence": "registered"}
    client.post(url, {**form, "phone": "13700001111"})
    assert Resident.objects.get(pk=wang.pk).phone == "13700001111"
    client.post(url, {**form, "phone": "", "clear_phone": "on"})
    assert Resident.objects.get(pk=wang.pk).phone == ""


def test_bad_edit_shows_every_message_and_changes_nothing(client, personas, wang):
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("resident_edit", args=[wang.pk]),
        {
            "name": "新名",
            "id_number": "1234",
            "phone": "12345",
            "relation": "head",
            "residence": "",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"id_number", "phone", "residence"}
    updated = Resident.objects.get(pk=wang.pk)
    assert (updated.name, updated.phone, updated.relation) == ("王芳", wang.phone, "other")


def test_checkpoint_staff_may_not_edit_residents(client, personas, wang):
    client.force_login(personas.checkpoint_staff)
    assert client.get(reverse("resident_detail", args=[wang.pk])).status_code == 200
    assert client.get(reverse("resident_edit", args=[wang.pk])).status_code == 403
    assert client.post(reverse("resident_delete", args=[wang.pk])).status_code == 403
    assert Resident.objects.filter(pk=wang.pk).exists()


def test_resident_removed_after_confirmation(client, personas, wang):
    client.force_login(personas.village_cadre)
    url = reverse("resident_delete", args=[wang.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("household_detail", args=[wang.household_id])
    assert not Resident.objects.filter(pk=wang.pk).exists()
    assert AuditEntry.objects.filter(target_id=str(wang.pk), action=AuditAction.DELETE).exists()


def test_pages_show_the_year_of_birth_beside_a_masked_id_number(client, personas, district):
    """The masked ID number hides the county and the birth date; a whole birth date beside it
    would leave only the county's two digits, which the checksum and the region table give
    away. Those who may see the number reveal it, birth date and all."""
    from dualtrack.areas.tests.factories import make_household, make_resident

    household = make_household(actor=personas.district_admin, area=district.group)
    resident = make_resident(actor=personas.district_admin, household=household)
    client.force_login(personas.town_officer)
    whole = resident.birth_date.isoformat()
    for url in (f"/residents/{resident.pk}/", f"/households/{household.pk}/"):
        page = client.get(url).content.decode()
        assert resident.id_number_masked in page
        assert whole not in page and whole.replace("-", "") not in page
        assert str(resident.birth_date.year) in page
