"""Pages of the command structure, cadres and liaisons, and staff accounts."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from dualtrack.areas.models import (
    Cadre,
    IndustrySector,
    LiaisonAssignment,
    OrgUnit,
    OrgUnitKind,
    Role,
    RoleGrant,
)
from dualtrack.areas.services.organisation import (
    cadre_create,
    liaison_assign,
    org_unit_create,
)
from dualtrack.core.models import AuditEntry, User
from dualtrack.core.validators import normalize_mobile


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def structure(district, personas):
    """Leading group → HQ → one working group, and the command of 昌东镇."""
    admin = personas.district_admin

    def unit(kind, name, area, parent=None, responsibilities=""):
        return org_unit_create(
            actor=admin,
            kind=kind,
            name=name,
            area=area,
            parent=parent,
            responsibilities=responsibilities,
        )

    leading = unit(OrgUnitKind.LEADING_GROUP, "疫情防控领导小组", district.root)
    hq = unit(OrgUnitKind.COMMAND_HQ, "疫情防控指挥部", district.root, leading)
    group = unit(OrgUnitKind.WORKING_GROUP, "物资保障组", district.root, hq, "口罩、消毒液调配")
    town = unit(OrgUnitKind.TOWN_COMMAND, "昌东镇指挥部", district.town, hq)
    return {"leading": leading, "hq": hq, "group": group, "town": town}


# --- Organisation ------------------------------------------------------------------------------


def test_structure_lists_each_level_with_responsibilities_and_sectors(
    district, personas, structure
):
    IndustrySector.objects.filter(code="C").update(responsible_group=structure["group"])
    response = signed_in(personas.commander).get("/organisation/")
    assert response.status_code == 200
    html = response.content.decode()
    for unit in structure.values():
        assert f'data-testid="org-unit-{unit.pk}"' in html
    assert "口罩、消毒液调配" in html
    assert "C 制造业" in html
    # The commander reads the sectors but may not reassign them.
    assert 'action="/organisation/sectors/"' not in html


def test_structure_page_takes_a_bounded_number_of_queries(
    district, personas, structure, django_assert_max_num_queries
):
    admin = personas.district_admin
    for n in range(5):
        org_unit_create(
            actor=admin,
            kind=OrgUnitKind.WORKING_GROUP,
            name=f"专项组{n}",
            area=district.root,
            parent=structure["hq"],
        )
    client = signed_in(admin)
    with django_assert_max_num_queries(9):
        response = client.get("/organisation/")
    assert len(response.context["sector_rows"]) == IndustrySector.objects.count()


def test_town_officer_sees_only_their_town_command(district, personas, structure):
    html = signed_in(personas.town_officer).get("/organisation/").content.decode()
    assert f'data-testid="org-unit-{structure["town"].pk}"' in html
    assert f'data-testid="org-unit-{structure["hq"].pk}"' not in html


def test_admin_edits_a_units_name_and_responsibilities(district, personas, structure):
    group = structure["group"]
    response = signed_in(personas.district_admin).post(
        f"/organisation/{group.pk}/",
        {"name": "物资保障专项组", "responsibilities": "统筹全区防疫物资"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organisation/{group.pk}/"
    group.refresh_from_db()
    assert (group.name, group.responsibilities) == ("物资保障专项组", "统筹全区防疫物资")
    assert AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(OrgUnit),
        target_id=str(group.pk),
        action="update",
    ).exists()


def test_admin_gives_a_working_group_its_duty_and_only_groups_have_one(
    district, personas, structure
):
    admin = signed_in(personas.district_admin)
    group, town = structure["group"], structure["town"]
    body = {"name": group.name, "responsibilities": "", "duty": "supplies"}

    assert admin.post(f"/organisation/{group.pk}/", body).status_code == 302

    group.refresh_from_db()
    assert group.duty == "supplies"
    assert "物资保障" in admin.get(f"/organisation/{group.pk}/").content.decode()
    assert "duty" not in admin.get(f"/organisation/{town.pk}/").context["form"].fields
    admin.post(f"/organisation/{town.pk}/", {"name": town.name, "duty": "supplies"})
    town.refresh_from_db()
    assert town.duty == ""


def test_unit_edit_with_a_taken_name_shows_the_error_on_the_name(district, personas, structure):
    group = structure["group"]
    response = signed_in(personas.district_admin).post(
        f"/organisation/{group.pk}/", {"name": "疫情防控指挥部", "responsibilities": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    group.refresh_from_db()
    assert group.name == "物资保障组"


def test_town_officer_is_refused_editing_their_town_command(district, personas, structure):
    town = structure["town"]
    client = signed_in(personas.town_officer)
    assert client.get(f"/organisation/{town.pk}/").status_code == 200
    response = client.post(f"/organisation/{town.pk}/", {"name": "改名", "responsibilities": ""})
    assert response.status_code == 403
    town.refresh_from_db()
    assert town.name == "昌东镇指挥部"


def test_units_outside_the_scope_are_not_found(district, personas, structure):
    client = signed_in(personas.town_officer)
    hq = structure["hq"]
    assert client.get(f"/organisation/{hq.pk}/").status_code == 404
    assert client.post(f"/organisation/{hq.pk}/", {"name": "x"}).status_code == 404
    assert OrgUnit.objects.get(pk=hq.pk).name == "疫情防控指挥部"


def test_unit_page_lists_its_cadres(district, personas, structure):
    admin = personas.district_admin
    cadre_create(
        actor=admin,
        name="王组员",
        origin="district_organ",
        area=district.root,
        org_unit=structure["group"],
    )
    cadre_create(actor=admin, name="李无组", origin="town_village", area=district.town)
    html = signed_in(admin).get(f"/organisation/{structure['group'].pk}/").content.decode()
    assert "王组员" in html
    assert "李无组" not in html


def test_admin_assigns_the_working_group_of_a_sector(district, personas, structure):
    group = structure["group"]
    data = {f"sector_{s.code}": "" for s in IndustrySector.objects.all()}
    data["sector_F"] = str(group.pk)
    response = signed_in(personas.district_admin).post("/organisation/sectors/", data)
    assert response.status_code == 302
    assert IndustrySector.objects.get(code="F").responsible_group == group
    assert not IndustrySector.objects.filter(responsible_group__isnull=False).exclude(code="F")


def test_a_sector_cannot_be_given_to_a_unit_that_is_not_a_working_group(
    district, personas, structure
):
    data = {"sector_F": str(structure["town"].pk)}
    response = signed_in(personas.district_admin).post("/organisation/sectors/", data)
    assert response.status_code == 200
    assert response.context["sector_form"].errors["sector_F"]
    assert IndustrySector.objects.get(code="F").responsible_group is None


def test_town_officer_is_refused_assigning_sectors(district, personas, structure):
    data = {"sector_F": str(structure["group"].pk)}
    response = signed_in(personas.town_officer).post("/organisation/sectors/", data)
    assert response.status_code == 403
    assert IndustrySector.objects.get(code="F").responsible_group is None


# --- Cadres ------------------------------------------------------------------------------------


def _cadre_form(district, **overrides):
    data = {
        "name": "周干部",
        "phone": "13912345678",
        "origin": "district_organ",
        "unit": "区财政局",
        "area": str(district.town.pk),
        "org_unit": "",
    }
    data.update(overrides)
    return data


def test_admin_records_a_cadre(district, personas):
    response = signed_in(personas.district_admin).post("/cadres/new/", _cadre_form(district))
    cadre = Cadre.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cadres/{cadre.pk}/liaisons/"
    assert (cadre.name, cadre.phone, cadre.area) == ("周干部", "13912345678", district.town)


def test_cadre_with_a_bad_phone_shows_the_error_and_writes_nothing(district, personas):
    audit_before = AuditEntry.objects.count()
    response = signed_in(personas.district_admin).post(
        "/cadres/new/", _cadre_form(district, phone="12345")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["phone"]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as expected:
        normalize_mobile("12345")
    assert errors["phone"] == expected.value.messages
    assert 'id="id_phone_error"' in response.content.decode()
    assert not Cadre.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_town_officer_cannot_record_cadres(district, personas):
    client = signed_in(personas.town_officer)
    assert client.get("/cadres/new/").status_code == 403
    assert client.post("/cadres/new/", _cadre_form(district)).status_code == 403
    assert not Cadre.objects.exists()


def test_cadre_list_masks_phones_and_stays_in_scope(district, personas):
    admin = personas.district_admin
    cadre_create(
        actor=admin,
        name="近干部",
        origin="town_village",
        area=district.village,
        phone="13800138000",
    )
    cadre_create(actor=admin, name="远干部", origin="town_village", area=district.far_village)
    html = signed_in(personas.town_officer).get("/cadres/").content.decode()
    assert "近干部" in html
    assert "138****8000" in html
    assert "13800138000" not in html
    assert "远干部" not in html


def test_cadre_list_filters_by_area_and_origin(district, personas):
    admin = personas.district_admin
    cadre_create(actor=admin, name="区派甲", origin="district_organ", area=district.village)
    cadre_create(actor=admin, name="本地乙", origin="town_village", area=district.village)
    cadre_create(actor=admin, name="区派丙", origin="district_organ", area=district.far_village)
    client = signed_in(admin)
    html = client.get("/cadres/", {"origin": "district_organ"}).content.decode()
    assert "区派甲" in html and "区派丙" in html and "本地乙" not in html
    html = client.get("/cadres/", {"area": district.town.pk}).content.decode()
    assert "区派甲" in html and "本地乙" in html and "区派丙" not in html


def test_cadre_list_pages_by_fifty(district, personas, django_assert_max_num_queries):
    admin = personas.district_admin
    cadres = [
        cadre_create(actor=admin, name=f"干部{i:02d}", origin="town_village", area=district.town)
        for i in range(51)
    ]
    client = signed_in(admin)
    with django_assert_max_num_queries(8):
        first = client.get("/cadres/")
    rows = first.context["rows"]
    assert len(rows) == 50
    assert first.context["next_page_url"] == f"?after={cadres[49].pk}"
    second = client.get("/cadres/", {"after": cadres[49].pk})
    assert [c.pk for c, _ in second.context["rows"]] == [cadres[50].pk]
    assert second.context["next_page_url"] is None


# --- Liaisons ----------------------------------------------------------------------------------


def test_admin_makes_a_cadre_liaison_of_a_village_and_ends_it(district, personas):
    admin = personas.district_admin
    cadre = cadre_create(actor=admin, name="挂点甲", origin="district_organ", area=district.town)
    client = signed_in(admin)
    response = client.post(
        f"/cadres/{cadre.pk}/liaisons/", {"area": district.sibling_village.pk, "since": ""}
    )
    assert response.status_code == 302
    assignment = LiaisonAssignment.objects.get(cadre=cadre)
    assert assignment.area == district.sibling_village and assignment.until is None

    page = client.get(f"/cadres/{cadre.pk}/liaisons/").content.decode()
    assert f'data-testid="liaison-{assignment.pk}"' in page

    response = client.post(f"/cadres/liaisons/{assignment.pk}/end/", {"until": ""})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.until is not None


def test_assigning_the_same_liaison_twice_shows_the_conflict(district, personas):
    admin = personas.district_admin
    cadre = cadre_create(actor=admin, name="挂点乙", origin="district_organ", area=district.town)
    liaison_assign(actor=admin, cadre=cadre, area=district.village)
    response = signed_in(admin).post(f"/cadres/{cadre.pk}/liaisons/", {"area": district.village.pk})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert LiaisonAssignment.objects.filter(cadre=cadre).count() == 1


def test_liaison_assignment_from_the_coverage_gap_returns_to_the_town(district, personas):
    admin = personas.district_admin
    cadre = cadre_create(actor=admin, name="挂点丙", origin="town_village", area=district.town)
    client = signed_in(admin)
    page = client.get("/cadres/", {"area": district.town.pk, "assign": district.sibling_village.pk})
    html = page.content.decode()
    assert 'data-testid="assign-banner"' in html
    assert f'action="/cadres/{cadre.pk}/liaisons/"' in html
    response = client.post(
        f"/cadres/{cadre.pk}/liaisons/",
        {"area": district.sibling_village.pk, "next": f"/coverage/?town={district.town.pk}"},
    )
    assert response.headers["Location"] == f"/coverage/?town={district.town.pk}"
    assert LiaisonAssignment.objects.filter(area=district.sibling_village).exists()


def test_town_officer_cannot_assign_or_end_liaisons(district, personas):
    admin = personas.district_admin
    cadre = cadre_create(actor=admin, name="挂点丁", origin="town_village", area=district.town)
    assignment = liaison_assign(actor=admin, cadre=cadre, area=district.village)
    client = signed_in(personas.town_officer)
    page = client.get(f"/cadres/{cadre.pk}/liaisons/")
    assert page.status_code == 200
    assert 'id="liaison-form"' not in page.content.decode()
    response = client.post(f"/cadres/{cadre.pk}/liaisons/", {"area": district.sibling_village.pk})
    assert response.status_code == 403
    assert client.post(f"/cadres/liaisons/{assignment.pk}/end/", {}).status_code == 403
    assignment.refresh_from_db()
    assert assignment.until is None
    assert not LiaisonAssignment.objects.filter(area=district.sibling_village).exists()


def test_liaisons_of_another_town_are_not_found(district, personas):
    admin = personas.district_admin
    cadre = cadre_create(
        actor=admin, name="挂点戊", origin="town_village", area=district.other_town
    )
    assignment = liaison_assign(actor=admin, cadre=cadre, area=district.far_village)
    client = signed_in(personas.town_officer)
    assert client.get(f"/cadres/{cadre.pk}/liaisons/").status_code == 404
    assert client.post(f"/cadres/liaisons/{assignment.pk}/end/", {}).status_code == 404
    html = client.get("/cadres/liaisons/").content.decode()
    assert f'data-testid="liaison-{assignment.pk}"' not in html


# --- Staff accounts ----------------------------------------------------------------------------


def test_admin_opens_an_account_grants_a_role_and_revokes_it(district, personas):
    client = signed_in(personas.district_admin)
    response = client.post(
        "/staff/new/",
        {
            "username": "xiaoli",
            "display_name": "小李",
            "password": "Spring-2020-ok",
            "password_again": "Spring-2020-ok",
        },
    )
    account = User.objects.get(username="xiaoli")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/{account.pk}/"
    assert account.check_password("Spring-2020-ok")
    assert AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(User),
        target_id=str(account.pk),
        action="create",
    ).exists()

    response = client.post(
        f"/staff/{account.pk}/", {"role": Role.TOWN_OFFICER, "area": district.town.pk}
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=account)
    assert (grant.role, grant.area) == (Role.TOWN_OFFICER, district.town)
    listing = client.get("/staff/").content.decode()
    assert f'data-testid="staff-{account.pk}"' in listing

    response = client.post(f"/staff/{account.pk}/grants/{grant.pk}/revoke/")
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(user=account).exists()


def test_a_role_can_be_granted_by_area_code(district, personas):
    account = User.objects.create_user("bycode")
    response = signed_in(personas.district_admin).post(
        f"/staff/{account.pk}/",
        {"role": Role.VILLAGE_CADRE, "area": "", "area_code": district.village.code.lower()},
    )
    assert response.status_code == 302
    assert RoleGrant.objects.get(user=account).area == district.village


def test_a_role_over_the_wrong_kind_of_area_shows_the_error_on_the_area(district, personas):
    account = User.objects.create_user("wrongkind")
    response = signed_in(personas.district_admin).post(
        f"/staff/{account.pk}/", {"role": Role.TOWN_OFFICER, "area": district.village.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["area"]
    assert not RoleGrant.objects.filter(user=account).exists()


def test_a_weak_initial_password_is_refused_with_the_validators_reasons(district, personas):
    response = signed_in(personas.district_admin).post(
        "/staff/new/",
        {
            "username": "weak",
            "display_name": "弱密码",
            "password": "12345678",
            "password_again": "12345678",
        },
    )
    assert response.status_code == 200
    with translation.override("zh-hans"), pytest.raises(ValidationError) as expected:
        validate_password("12345678")
    # Too common and entirely numeric: every validator's reason is shown, in the page language.
    assert len(expected.value.messages) == 2
    assert response.context["form"].errors["password"] == expected.value.messages
    assert not User.objects.filter(username="weak").exists()


def test_a_username_is_taken_whatever_its_letter_case(district, personas):
    response = signed_in(personas.district_admin).post(
        "/staff/new/",
        {
            "username": "ADMIN",
            "display_name": "冒名",
            "password": "Spring-2020-ok",
            "password_again": "Spring-2020-ok",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert User.objects.filter(username__iexact="admin").count() == 1


def test_staff_list_pages_by_username_in_bounded_queries(
    district, personas, django_assert_max_num_queries
):
    for n in range(55):
        User.objects.create_user(f"user{n:02d}")
    client = signed_in(personas.district_admin)
    with django_assert_max_num_queries(8):
        first = client.get("/staff/")
    accounts = [account for account, _grants in first.context["rows"]]
    assert len(accounts) == 50
    assert first.context["next_page_url"] == f"?after={accounts[-1].username}"
    second = client.get("/staff/", {"after": accounts[-1].username})
    rest = [account.username for account, _grants in second.context["rows"]]
    # 55 new accounts and the six personas, by username.
    assert len(rest) == 11 and rest[0] > accounts[-1].username
    found = client.get("/staff/", {"q": "town"}).context["rows"]
    assert [(a.username, [g.role for g in grants]) for a, grants in found] == [
        ("town", [Role.TOWN_OFFICER])
    ]


@pytest.mark.parametrize(
    "path", ["/staff/", "/staff/new/", "/staff/{admin}/"], ids=["list", "new", "detail"]
)
def test_staff_pages_are_for_district_administrators_only(district, personas, path):
    client = signed_in(personas.town_officer)
    response = client.get(path.format(admin=personas.district_admin.pk))
    assert response.status_code == 403


def test_a_grant_is_revoked_only_through_its_own_account(district, personas):
    grant = RoleGrant.objects.get(user=personas.town_officer)
    response = signed_in(personas.district_admin).post(
        f"/staff/{personas.commander.pk}/grants/{grant.pk}/revoke/"
    )
    assert response.status_code == 404
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_units_out_of_sight_are_named_not_linked(as_user, district, personas, working_group_staff):
    """A village cadre sees which working group answers for a sector, but not the group's page
    (it is the district's): a link there would be a 404."""
    from dualtrack.areas.models import IndustrySector, OrgUnit
    from dualtrack.areas.services.organisation import sector_assign

    working_group_staff("enterprise_services")
    group = OrgUnit.objects.get(name="group-enterprise_services")
    sector = IndustrySector.objects.order_by("code").first()
    sector_assign(actor=personas.district_admin, sector=sector, group=group)
    cadre = as_user("village_cadre")
    page = cadre.get("/organisation/").content.decode()
    assert group.name in page and f'href="/organisation/{group.pk}/"' not in page
    assert cadre.get(f"/organisation/{group.pk}/").status_code == 404
    admin_page = as_user("district_admin").get("/organisation/").content.decode()
    assert f'href="/organisation/{group.pk}/"' in admin_page
