"""An enterprise's login sees its enterprise and nothing else, so it never also holds a district
role: granting one is refused from the page and the API, approving a sign-up whose login was given
a role while it waited is refused, and a login that has both anyway (written past the services)
is read as the enterprise's alone, by the lists and by the figures alike."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import PASSWORD
from dualtrack.areas.models import Role, RoleGrant
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core.errors import Conflict
from dualtrack.core.models import User
from dualtrack.enterprises.access import enterprises_visible, towns_visible
from dualtrack.enterprises.figures import figures_for
from dualtrack.enterprises.models import EnterpriseMember, SignupStatus
from dualtrack.enterprises.services.signups import signup_decide

from .conftest import submit_signup

pytestmark = pytest.mark.django_db


def test_a_role_for_an_enterprises_login_is_refused_and_nothing_written(
    personas, district, ent_user
):
    with pytest.raises(Conflict) as exc:
        role_grant_create(
            actor=personas.district_admin, user=ent_user, role=Role.TOWN_OFFICER, area=district.town
        )
    assert exc.value.code == "outside_account"
    assert not RoleGrant.objects.filter(user=ent_user).exists()


def test_a_deactivated_enterprise_login_is_still_the_enterprises(personas, district, ent_user):
    ent_user.is_active = False
    ent_user.save(update_fields=["is_active"])
    with pytest.raises(Conflict):
        role_grant_create(
            actor=personas.district_admin, user=ent_user, role=Role.TOWN_OFFICER, area=district.town
        )
    assert not RoleGrant.objects.filter(user=ent_user).exists()


def test_a_staff_account_is_granted_as_before(personas, district):
    staff = User.objects.create_user("staffer", password=PASSWORD)
    grant = role_grant_create(
        actor=personas.district_admin, user=staff, role=Role.TOWN_OFFICER, area=district.town
    )
    assert grant.user == staff


def test_the_api_answers_problem_json_in_chinese(personas, district, ent_user):
    client = Client()
    client.force_login(personas.district_admin)
    response = client.post(
        "/api/areas/role-grants",
        json.dumps(
            {"user_id": ent_user.pk, "role": Role.TOWN_OFFICER, "area_id": district.town.pk}
        ),
        content_type="application/json",
        headers={"accept-language": "zh-hans"},
    )
    assert response.status_code == 409
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "outside_account"
    assert body["detail"] == "该账号是企业自己的账号，不能授予区内工作角色。"
    assert not RoleGrant.objects.filter(user=ent_user).exists()


def test_the_page_shows_the_refusal_on_the_form(personas, district, ent_user):
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(personas.district_admin)
    response = client.post(
        f"/staff/{ent_user.pk}/", {"role": Role.TOWN_OFFICER, "area": district.town.pk}
    )
    assert response.status_code == 200
    assert "该账号是企业自己的账号，不能授予区内工作角色。" in response.content.decode()
    assert response.context["form"].errors
    assert not RoleGrant.objects.filter(user=ent_user).exists()


def test_the_staff_page_says_so_and_offers_no_grant_form(personas, ent_user):
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(personas.district_admin)
    html = client.get(f"/staff/{ent_user.pk}/").content.decode()
    assert "企业自己的账号：只能看到本企业，不能授予区内工作角色。" in html
    assert 'id="grant-form"' not in html


def test_a_signup_whose_login_was_given_a_role_while_it_waited_is_not_approved(
    personas, district, enterprise
):
    signup = submit_signup()
    role_grant_create(
        actor=personas.district_admin, user=signup.user, role=Role.TOWN_OFFICER, area=district.town
    )
    with pytest.raises(Conflict) as exc:
        signup_decide(actor=personas.town_officer, signup=signup, approve=True)
    assert exc.value.code == "login_has_roles"
    assert str(exc.value.message) == "该账号已有区内工作角色，企业须使用自己的账号。"
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PENDING
    assert not EnterpriseMember.objects.filter(user=signup.user).exists()


def test_a_login_with_both_is_read_as_the_enterprises_alone(
    personas, district, enterprise, far_enterprise, ent_user
):
    # Written past the services, as an old database or a hand edit might hold it.
    RoleGrant.objects.create(user=ent_user, role=Role.DISTRICT_ADMIN, area=district.root)
    assert list(enterprises_visible(ent_user)) == [enterprise]
    assert towns_visible(ent_user) == []
    figures = figures_for(user=ent_user)
    assert figures.by_town == [] and figures.total.enterprises == 0
    # The district's administrator still sees both towns' figures.
    assert {t.pk for t in towns_visible(personas.district_admin)} >= {
        district.town.pk,
        district.other_town.pk,
    }
