"""Every id an areas write takes, in its path or its body, is resolved through the acting user's
scope: a record outside it is 404, as for a read, and nothing is written.

The town officer of 昌东镇 (people managed in the town, the tree and the organisation only seen)
names, in every write of the areas API and its pages, the records of 麻丘镇: its village, group,
household, resident, cadre, liaison, org unit and role grant, and the district's working group.
"""

from __future__ import annotations

import pytest
from django.test import Client

from dualtrack.areas.models import (
    Area,
    Cadre,
    CadreOrigin,
    Household,
    LiaisonAssignment,
    OrgUnit,
    OrgUnitKind,
    Resident,
    Role,
    RoleGrant,
)
from dualtrack.areas.services.organisation import (
    cadre_create,
    liaison_assign,
    org_unit_create,
    role_grant_create,
)
from dualtrack.areas.tests.factories import make_household, make_id_number, make_resident
from dualtrack.core.models import AuditEntry, User
from dualtrack.core.tests.helpers import JSON

pytestmark = pytest.mark.django_db

API = "/api/areas"


@pytest.fixture
def far(district, personas):
    """Records of 麻丘镇 (outside the town officer's scope) and of the district."""
    admin = personas.district_admin
    household = make_household(actor=admin, area=district.far_group)
    resident = make_resident(actor=admin, household=household, name="外镇居民")
    unit = org_unit_create(
        actor=admin, kind=OrgUnitKind.TOWN_COMMAND, name="麻丘镇指挥部", area=district.other_town
    )
    group = org_unit_create(
        actor=admin,
        kind=OrgUnitKind.WORKING_GROUP,
        name="物资保障组",
        area=district.root,
        duty="supplies",
    )
    cadre = cadre_create(
        actor=admin,
        name="外镇干部",
        origin=CadreOrigin.TOWN_VILLAGE,
        area=district.other_town,
        org_unit=unit,
    )
    liaison = liaison_assign(actor=admin, cadre=cadre, area=district.far_village)
    account = User.objects.create_user("far_officer")
    grant = role_grant_create(
        actor=admin, user=account, role=Role.TOWN_OFFICER, area=district.other_town
    )
    own_household = make_household(actor=admin, area=district.group, address="本镇1号")
    own_resident = make_resident(actor=admin, household=own_household, name="本镇居民")
    return {
        "village": district.far_village,
        "group": district.far_group,
        "household": household,
        "resident": resident,
        "unit": unit,
        "group_unit": group,
        "cadre": cadre,
        "liaison": liaison,
        "account": account,
        "grant": grant,
        "own_resident": own_resident,
    }


def _state():
    """Everything the writes below could change."""
    models = (Area, Household, Resident, OrgUnit, Cadre, LiaisonAssignment, RoleGrant, User)
    counts = tuple(model.objects.count() for model in models)
    return (
        counts,
        AuditEntry.objects.count(),
        list(Area.objects.order_by("pk").values_list("name", "official_code")),
        list(Household.objects.order_by("pk").values_list("area_id", "number", "address")),
        list(Resident.objects.order_by("pk").values_list("household_id", "name")),
        list(OrgUnit.objects.order_by("pk").values_list("name", "responsibilities")),
        list(LiaisonAssignment.objects.order_by("pk").values_list("until", flat=True)),
    )


def _api_writes(f, district):
    resident_body = {"name": "新居民", "id_number": make_id_number(), "relation": "other"}
    return [
        ("post", "/households", {"area_id": f["group"].pk, "number": "9", "address": "外镇路"}),
        ("put", f"/households/{f['household'].pk}", {"number": "9", "address": "改"}),
        ("delete", f"/households/{f['household'].pk}", None),
        ("post", "/residents", {**resident_body, "household_id": f["household"].pk}),
        (
            "put",
            f"/residents/{f['own_resident'].pk}",
            {
                "name": "本镇居民",
                "relation": "other",
                "residence": "registered",
                "household_id": f["household"].pk,
            },
        ),
        (
            "put",
            f"/residents/{f['resident'].pk}",
            {"name": "改名", "relation": "other", "residence": "registered"},
        ),
        ("delete", f"/residents/{f['resident'].pk}", None),
        ("post", f"/residents/{f['resident'].pk}/reveal", {"reason": "核查"}),
        ("post", "/org-units", {"kind": "town_command", "name": "新", "area_id": f["village"].pk}),
        (
            "post",
            "/org-units",
            {
                "kind": "town_command",
                "name": "新",
                "area_id": district.town.pk,
                "parent_id": f["unit"].pk,
            },
        ),
        ("put", f"/org-units/{f['unit'].pk}", {"name": "改名"}),
        ("put", "/sectors/C", {"responsible_group_id": f["group_unit"].pk}),
        ("post", "/cadres", {"name": "新", "origin": "town_village", "area_id": f["village"].pk}),
        (
            "post",
            "/cadres",
            {
                "name": "新",
                "origin": "town_village",
                "area_id": district.town.pk,
                "org_unit_id": f["unit"].pk,
            },
        ),
        ("post", "/liaisons", {"cadre_id": f["cadre"].pk, "area_id": district.village.pk}),
        ("post", "/liaisons", {"cadre_id": f["cadre"].pk, "area_id": f["village"].pk}),
        ("post", f"/liaisons/{f['liaison'].pk}/end", {}),
        (
            "post",
            "/role-grants",
            {"user_id": f["account"].pk, "role": "volunteer", "area_id": f["village"].pk},
        ),
        ("delete", f"/role-grants/{f['grant'].pk}", None),
        ("post", "", {"parent_id": f["village"].pk, "kind": "group", "name": "新组"}),
        ("put", f"/{f['village'].pk}", {"name": "改名"}),
        ("delete", f"/{f['group'].pk}", None),
    ]


def test_every_api_write_naming_a_record_outside_the_scope_is_404(as_user, district, far):
    client = as_user("town_officer")
    before = _state()
    answers = {}
    for method, path, body in _api_writes(far, district):
        call = getattr(client, method)
        response = call(API + path, body, JSON) if body is not None else call(API + path)
        answers[f"{method.upper()} {path} {body}"] = response.status_code
    assert {call: status for call, status in answers.items() if status != 404} == {}
    assert _state() == before


def _page_writes(f, district):
    return [
        (f"/areas/{f['village'].pk}/households/new/", {"number": "9", "address": "外镇路"}),
        (f"/households/{f['household'].pk}/edit/", {"number": "9", "address": "改"}),
        (f"/households/{f['household'].pk}/delete/", {"confirm": "on"}),
        (
            f"/households/{f['household'].pk}/residents/new/",
            {"name": "新居民", "id_number": make_id_number(), "relation": "other"},
        ),
        (f"/residents/{f['resident'].pk}/edit/", {"name": "改名", "relation": "other"}),
        (f"/residents/{f['resident'].pk}/delete/", {"confirm": "on"}),
        (f"/residents/{f['resident'].pk}/reveal/", {"reason": "核查"}),
        (f"/organisation/{f['unit'].pk}/", {"name": "改名"}),
        (f"/cadres/{f['cadre'].pk}/liaisons/", {"area": district.village.pk}),
        (f"/cadres/liaisons/{f['liaison'].pk}/end/", {}),
        (f"/areas/{f['village'].pk}/children/new/", {"kind": "group", "name": "新组"}),
        (f"/areas/{f['village'].pk}/edit/", {"name": "改名"}),
        (f"/areas/{f['group'].pk}/delete/", {"confirm": "on"}),
    ]


def test_every_page_write_naming_a_record_outside_the_scope_is_404(district, personas, far):
    client = Client()
    client.force_login(personas.town_officer)
    before = _state()
    answers = {url: client.post(url, data).status_code for url, data in _page_writes(far, district)}
    assert {url: status for url, status in answers.items() if status != 404} == {}
    assert _state() == before


def test_the_services_refuse_a_reference_out_of_sight_as_not_found(district, personas, far):
    """The rule lives in the services (Scope.require_referenced), so that every caller - API,
    page, command, another app - gets the same 404 naming the field, before any 403 of the role
    would tell that the record exists."""
    from dualtrack.core.errors import NotFound

    officer = personas.town_officer
    calls = {
        "org_unit_id": lambda: cadre_create(
            actor=officer,
            name="新",
            origin=CadreOrigin.TOWN_VILLAGE,
            area=district.town,
            org_unit=far["unit"],
        ),
        "parent_id": lambda: org_unit_create(
            actor=officer,
            kind=OrgUnitKind.TOWN_COMMAND,
            name="新",
            area=district.town,
            parent=far["unit"],
        ),
        "cadre_id": lambda: liaison_assign(
            actor=officer, cadre=far["cadre"], area=district.village
        ),
        "user_id": lambda: role_grant_create(
            actor=officer, user=far["account"], role=Role.VOLUNTEER, area=district.village
        ),
    }
    for field, call in calls.items():
        with pytest.raises(NotFound) as refused:
            call()
        assert refused.value.errors[0]["field"] == field
