"""The screening admin: read-only, scoped like the pages — a town officer with staff status sees
the campaigns touching the town and, of them, only the visits and coverage of the town; another
town's rows answer 404, and nothing is added there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dualtrack.areas.models import Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core.models import User
from dualtrack.health.models import CoverageCounter, HouseholdVisit
from dualtrack.health.services.screening import visit_record
from dualtrack.health.tests.screening.factories import open_campaign, visit_row

pytestmark = pytest.mark.django_db


def _visit(actor, campaign, household) -> HouseholdVisit:
    row = visit_row(campaign, household)
    data = {k: v for k, v in row.items() if k not in ("campaign_id", "household_id")}
    visit, _outcome = visit_record(actor=actor, campaign=campaign, household=household, data=data)
    return visit


@pytest.fixture
def officer(client, personas):
    officer = personas.town_officer
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    return officer


def _rows(client, name: str) -> set[int]:
    listing = client.get(reverse(f"admin:health_{name}_changelist"))
    assert listing.status_code == 200
    return {row.pk for row in listing.context["cl"].result_list}


def test_the_screening_admin_is_scoped(
    client, officer, personas, district, homes, campaign, prevention
):
    # ``campaign`` covers the whole district; ``far`` only 麻丘镇's community.
    far = open_campaign(actor=prevention, areas=[district.far_village], name="麻丘摸排")
    far_cadre = User.objects.create_user(username="far_cadre", password="x" * 12)
    role_grant_create(
        actor=personas.district_admin,
        user=far_cadre,
        role=Role.VILLAGE_CADRE,
        area=district.far_village,
    )
    near = _visit(personas.village_cadre, campaign, homes.first)
    away = _visit(far_cadre, campaign, homes.far)
    also_away = _visit(far_cadre, far, homes.far)

    assert _rows(client, "campaign") == {campaign.pk}
    assert _rows(client, "householdvisit") == {near.pk}
    town_counters = set(
        CoverageCounter.objects.filter(
            campaign=campaign, area_code__startswith=district.town.code
        ).values_list("pk", flat=True)
    )
    assert town_counters and _rows(client, "coveragecounter") == town_counters

    for name, pk in (
        ("campaign", far.pk),
        ("householdvisit", away.pk),
        ("householdvisit", also_away.pk),
        ("coveragecounter", CoverageCounter.objects.filter(campaign=far).first().pk),
    ):
        assert client.get(reverse(f"admin:health_{name}_change", args=[pk])).status_code == 404
    assert (
        client.get(reverse("admin:health_householdvisit_change", args=[near.pk])).status_code == 200
    )
    for name in ("campaign", "householdvisit", "coveragecounter"):
        assert client.get(reverse(f"admin:health_{name}_add")).status_code == 403
