"""Every representation of the areas' access rule gives every persona the same answer on the
same rows: the queryset filter, the per-record permissions, the selectors, the API (list, detail
and a write) and the pages (list, detail and the buttons they show)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dualtrack.areas import access
from dualtrack.areas.access import Permission
from dualtrack.areas.models import Area, Cadre, CadreOrigin, Duty, Household, Resident, RoleGrant
from dualtrack.areas.selectors import (
    area_get_for,
    area_list_for,
    cadre_get_for,
    cadre_list_for,
    household_get_for,
    household_list_for,
    resident_get_for,
    resident_list_for,
    role_grant_get_for,
    role_grant_list_for,
)
from dualtrack.areas.services.organisation import cadre_create
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User

JSON = "application/json"

PERSONAS = [
    "district_admin",
    "commander",
    "town_officer",
    "village_cadre",
    "checkpoint_staff",
    "outsider",
    f"working_group:{Duty.SUPPLIES}",
    f"working_group:{Duty.COORDINATION}",
    f"working_group:{Duty.ENTERPRISE_SERVICES}",
]


@dataclass
class Rows:
    households: list[Household]
    residents: list[Resident]
    grants: list[RoleGrant]


@pytest.fixture
def rows(district, personas) -> Rows:
    """A household with a resident in the cadre's village, in another village of the same town
    and in the other town; the personas' own grants are the role grants."""
    admin = personas.district_admin
    areas: list[Area] = [district.group, district.sibling_village, district.far_group]
    households = [make_household(actor=admin, area=area) for area in areas]
    residents = [make_resident(actor=admin, household=household) for household in households]
    return Rows(households, residents, list(RoleGrant.objects.select_related("area")))


@pytest.fixture
def persona_user(personas, working_group_staff):
    def user_for(name: str) -> User:
        if name.startswith("working_group:"):
            return working_group_staff(name.split(":", 1)[1])
        return getattr(personas, name)

    return user_for


def _found(lookup, **kwargs) -> bool:
    try:
        lookup(**kwargs)
    except NotFound:
        return False
    return True


def _write_status(may_view: bool, may_act: bool) -> int:
    """What a write answers: done, refused in sight (403), or out of sight (404)."""
    return 404 if not may_view else 200 if may_act else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_households_agree_in_every_representation(client, rows, persona_user, persona):
    user = persona_user(persona)
    client.force_login(user)
    ids = [h.pk for h in rows.households]
    by_filter = set(
        access.visible(user, Household.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    by_selector = {h.pk for h in household_list_for(user=user, limit=200)}
    by_api_list = {
        item["id"] for item in client.get("/api/areas/households?limit=200").json()["items"]
    }

    for household in rows.households:
        allowed = access.permissions_on(user, household.area)
        page = client.get(f"/households/{household.pk}/")
        seen = {
            "per-record": allowed.view,
            "queryset filter": household.pk in by_filter,
            "selector list": household.pk in by_selector,
            "selector get": _found(household_get_for, user=user, household_id=household.pk),
            "API list": household.pk in by_api_list,
            "API detail": client.get(f"/api/areas/households/{household.pk}").status_code == 200,
            "page detail": page.status_code == 200,
        }
        assert set(seen.values()) == {allowed.view}, (persona, household.area.name, seen)

        manage = {
            "per-record": allowed.manage_people,
            "page button": page.status_code == 200 and page.context["can_manage"],
        }
        assert set(manage.values()) == {allowed.manage_people}, (persona, manage)
        body = {"number": household.number, "address": household.address}
        response = client.put(f"/api/areas/households/{household.pk}", body, JSON)
        assert response.status_code == _write_status(allowed.view, allowed.manage_people), (
            persona,
            household.area.name,
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_residents_agree_in_every_representation(client, rows, persona_user, persona):
    user = persona_user(persona)
    client.force_login(user)
    ids = [r.pk for r in rows.residents]
    by_filter = set(
        access.visible(user, Resident.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    by_selector = {r.pk for r in resident_list_for(user=user, limit=200)}
    by_api_list = {
        item["id"] for item in client.get("/api/areas/residents?limit=200").json()["items"]
    }
    page_list = client.get("/residents/")
    by_page_list = (
        {r.pk for r in page_list.context["residents"]} if page_list.status_code == 200 else set()
    )

    for resident in rows.residents:
        allowed = access.permissions_on(user, resident.area)
        page = client.get(f"/residents/{resident.pk}/")
        seen = {
            "per-record": allowed.view,
            "queryset filter": resident.pk in by_filter,
            "selector list": resident.pk in by_selector,
            "selector get": _found(resident_get_for, user=user, resident_id=resident.pk),
            "API list": resident.pk in by_api_list,
            "API detail": client.get(f"/api/areas/residents/{resident.pk}").status_code == 200,
            "page list": resident.pk in by_page_list,
            "page detail": page.status_code == 200,
        }
        assert set(seen.values()) == {allowed.view}, (persona, resident.area.name, seen)

        shown = page.context if page.status_code == 200 else {}
        buttons = {
            "can_reveal": allowed.view_personal_data,
            "can_manage": allowed.manage_people,
            "can_view_audit": allowed.view_audit,
        }
        for button, rule in buttons.items():
            assert bool(shown and shown[button]) == rule, (persona, resident.area.name, button)
        response = client.post(
            f"/api/areas/residents/{resident.pk}/reveal", {"reason": "核查"}, JSON
        )
        assert response.status_code == _write_status(allowed.view, allowed.view_personal_data), (
            persona,
            resident.area.name,
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_role_grants_agree_in_every_representation(client, rows, persona_user, persona):
    user = persona_user(persona)
    client.force_login(user)
    grants = list(RoleGrant.objects.select_related("area"))  # with the working group's own
    by_filter = set(access.visible(user, RoleGrant.objects.all()).values_list("pk", flat=True))
    by_selector = {g.pk for g in role_grant_list_for(user=user)}
    by_api_list = {
        item["id"] for item in client.get("/api/areas/role-grants?limit=200").json()["items"]
    }

    for grant in grants:
        rule = access.permissions_on(user, grant.area).manage_organisation
        seen = {
            "per-record": rule,
            "scope": access.scope_for(user).covers(grant.area, Permission.MANAGE_ORGANISATION),
            "queryset filter": grant.pk in by_filter,
            "selector list": grant.pk in by_selector,
            "selector get": _found(role_grant_get_for, user=user, grant_id=grant.pk),
            "API list": grant.pk in by_api_list,
        }
        assert set(seen.values()) == {rule}, (persona, grant.role, grant.area.name, seen)


@pytest.mark.parametrize("persona", PERSONAS)
def test_areas_agree_in_every_representation(client, district, persona_user, persona):
    user = persona_user(persona)
    client.force_login(user)
    areas = list(Area.objects.order_by("code"))
    by_filter = set(access.visible(user, Area.objects.all()).values_list("pk", flat=True))
    by_selector = {a.pk for a in area_list_for(user=user)}
    by_api_list = {item["id"] for item in client.get("/api/areas").json()}

    for area in areas:
        allowed = access.permissions_on(user, area)
        page = client.get(f"/areas/{area.pk}/")
        seen = {
            "per-record": allowed.view,
            "queryset filter": area.pk in by_filter,
            "selector list": area.pk in by_selector,
            "selector get": _found(area_get_for, user=user, area_id=area.pk),
            "API list": area.pk in by_api_list,
            "API detail": client.get(f"/api/areas/{area.pk}").status_code == 200,
            "page detail": page.status_code == 200,
        }
        assert set(seen.values()) == {allowed.view}, (persona, area.name, seen)

        shown = page.context if page.status_code == 200 else {}
        for button, rule in {
            "can_manage_tree": allowed.manage_tree,
            "can_view_audit": allowed.view_audit,
        }.items():
            assert bool(shown and shown[button]) == rule, (persona, area.name, button)
        body = {"name": area.name, "official_code": area.official_code}
        response = client.put(f"/api/areas/{area.pk}", body, JSON)
        assert response.status_code == _write_status(allowed.view, allowed.manage_tree), (
            persona,
            area.name,
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_cadres_agree_in_every_representation(client, district, personas, persona_user, persona):
    admin = personas.district_admin
    cadres = [
        cadre_create(actor=admin, name=f"干部{n}", origin=CadreOrigin.DISTRICT_ORGAN, area=area)
        for n, area in enumerate([district.village, district.sibling_village, district.far_village])
    ]
    user = persona_user(persona)
    client.force_login(user)
    by_filter = set(access.visible(user, Cadre.objects.all()).values_list("pk", flat=True))
    by_selector = {c.pk for c in cadre_list_for(user=user, limit=200)}
    by_api_list = {item["id"] for item in client.get("/api/areas/cadres?limit=200").json()["items"]}

    for cadre in cadres:
        allowed = access.permissions_on(user, cadre.area)
        page = client.get(f"/cadres/{cadre.pk}/liaisons/")
        seen = {
            "per-record": allowed.view,
            "queryset filter": cadre.pk in by_filter,
            "selector list": cadre.pk in by_selector,
            "selector get": _found(cadre_get_for, user=user, cadre_id=cadre.pk),
            "API list": cadre.pk in by_api_list,
            "page detail": page.status_code == 200,
        }
        assert set(seen.values()) == {allowed.view}, (persona, cadre.area.name, seen)
        shown = page.context if page.status_code == 200 else {}
        assert bool(shown and shown["can_view_audit"]) == allowed.view_audit, persona
