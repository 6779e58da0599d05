"""Every persona against every representation of the cases' access rule — the queryset filter,
the per-object answer, require_*, the API list and detail, the page list and detail — on the
same rows: they must all agree."""

from __future__ import annotations

import pytest

from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.health.access.cases import (
    CaseAbility,
    ContactAbility,
    case_permissions,
    cases_visible_q,
    contact_permissions,
    contacts_visible_q,
    require_case,
    require_contact,
)
from dualtrack.health.models import Case, Contact
from dualtrack.health.services.contacts import contact_search
from dualtrack.health.tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

PERSONAS = [
    "district_admin",
    "commander",
    "town_officer",
    "village_cadre",
    "checkpoint_staff",
    "outsider",
    "prevention",
    "medical",
]


@pytest.fixture
def world(cluster, district, personas, prevention, medical):
    make_case(actor=personas.district_admin, area=district.sibling_village, name="南山")
    make_case(actor=personas.district_admin, area=district.far_group, name="麻丘")
    contact_search(actor=prevention, case=cluster.case, reason="流调")
    # A second case elsewhere with the same contacts: the cadre sees only those of their villages.
    Case.objects.filter(pk=cluster.case.pk).update(area=district.far_group)
    users = {name: getattr(personas, name, None) for name in PERSONAS}
    users["prevention"], users["medical"] = prevention, medical
    return users


def _refusal(call):
    try:
        call()
    except NotFound:
        return "404"
    except PermissionDenied:
        return "403"
    return "ok"


@pytest.mark.parametrize("persona", PERSONAS)
def test_cases_agree(client, world, persona):
    user = world[persona]
    by_q = set(Case.objects.filter(cases_visible_q(user)).values_list("pk", flat=True))
    client.force_login(user)
    by_api = {c["id"] for c in client.get("/api/health/cases").json()}
    page = client.get("/health/cases/").content.decode()
    for case in Case.objects.select_related("area"):
        may = case_permissions(user, case)
        assert may.see == (case.pk in by_q) == (case.pk in by_api)
        assert (f'data-testid="case-{case.pk}"' in page) == may.see
        api = client.get(f"/api/health/cases/{case.pk}").status_code
        detail = client.get(f"/health/cases/{case.pk}/").status_code
        assert api == detail == (200 if may.see else 404)
        manage = _refusal(lambda c=case: require_case(user, c, CaseAbility.MANAGE))
        assert manage == ("ok" if may.manage else "403" if may.see else "404")
        manage_q = Case.objects.filter(cases_visible_q(user, CaseAbility.MANAGE), pk=case.pk)
        assert manage_q.exists() == may.manage
        unmask_q = Case.objects.filter(
            cases_visible_q(user, CaseAbility.VIEW_PERSONAL_DATA), pk=case.pk
        )
        assert unmask_q.exists() == may.view_personal_data


@pytest.mark.parametrize("persona", PERSONAS)
def test_contacts_agree(client, world, persona, cluster):
    user = world[persona]
    by_q = set(Contact.objects.filter(contacts_visible_q(user)).values_list("pk", flat=True))
    client.force_login(user)
    listed = client.get(f"/api/health/cases/{cluster.case.pk}/contacts")
    by_api = {c["id"] for c in listed.json()} if listed.status_code == 200 else set()
    assert listed.status_code == (200 if by_q else 404)
    for contact in Contact.objects.select_related("case__area", "area"):
        may = contact_permissions(user, contact)
        assert may.see == (contact.pk in by_q) == (contact.pk in by_api)
        got = client.get(f"/api/health/cases/contacts/{contact.pk}").status_code
        assert got == (200 if may.see else 404)
        confirm = _refusal(lambda c=contact: require_contact(user, c, ContactAbility.CONFIRM))
        assert confirm == ("ok" if may.confirm else "403" if may.see else "404")
        confirm_q = Contact.objects.filter(
            contacts_visible_q(user, ContactAbility.CONFIRM), pk=contact.pk
        )
        assert confirm_q.exists() == may.confirm


def test_the_expected_shape(world, cluster):
    """The rule's intent, spelled out for three personas."""
    cadre, staff, officer = world["village_cadre"], world["checkpoint_staff"], world["town_officer"]
    contact = Contact.objects.get(name="陈密接")  # seen at 艾溪村东口
    assert contact_permissions(cadre, contact).confirm
    assert contact_permissions(cadre, contact).view_personal_data
    assert (
        contact_permissions(staff, contact).see and not contact_permissions(staff, contact).confirm
    )
    case = Case.objects.get(pk=cluster.case.pk)
    assert not case_permissions(cadre, case).see  # the case is now elsewhere
    assert not case_permissions(officer, case).manage
