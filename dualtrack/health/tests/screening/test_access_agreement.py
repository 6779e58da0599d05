"""Every representation of the screening access rule gives the same answer, for every persona
on the same rows: the queryset (``campaigns_visible``), the per-campaign answer
(``campaign_permissions``), the refusals (``require_campaign``), the selectors, the API (list,
detail, close) and the pages (list, detail); and for households, the rows of a campaign in
sight (``sight_q``), the refusal of a visit (``screening_refusal``) and the API's lists."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dualtrack.areas.models import Duty, Household, Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.health.access.screening import (
    CampaignAbility,
    campaign_permissions,
    campaigns_visible,
    require_campaign,
    screening_refusal,
    sight_q,
)
from dualtrack.health.selectors.screening import campaign_get_for, campaign_list_for
from dualtrack.health.tests.screening.factories import open_campaign

pytestmark = pytest.mark.django_db


def _grant(admin, username: str, role: str, area) -> User:
    user = User.objects.create_user(username=username, password="x" * 12)
    role_grant_create(actor=admin, user=user, role=role, area=area)
    return user


@pytest.fixture
def everyone(district, personas, working_group_staff, volunteer) -> dict[str, User]:
    admin = personas.district_admin
    return {
        "district_admin": admin,
        "commander": personas.commander,
        "town_officer": personas.town_officer,
        "village_cadre": personas.village_cadre,
        "checkpoint_staff": personas.checkpoint_staff,
        "outsider": personas.outsider,
        "volunteer": volunteer,
        "far_cadre": _grant(admin, "far_cadre", Role.VILLAGE_CADRE, district.far_village),
        "other_town": _grant(admin, "other_town", Role.TOWN_OFFICER, district.other_town),
        "site_staff": _grant(admin, "site_staff", Role.SITE_STAFF, district.village),
        "wg_prevention": working_group_staff(Duty.PREVENTION),
        "wg_medical": working_group_staff(Duty.MEDICAL),
    }


@pytest.fixture
def campaigns(district, homes, prevention):
    return [
        open_campaign(actor=prevention, areas=[district.root], name="全区"),
        open_campaign(actor=prevention, areas=[district.village], name="艾溪村"),
        open_campaign(actor=prevention, areas=[district.far_village], name="麻丘社区"),
    ]


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _refusal(user, campaign, ability) -> int:
    try:
        require_campaign(user, campaign, ability)
    except NotFound:
        return 404
    except PermissionDenied:
        return 403
    return 200


def test_every_representation_agrees(client, everyone, campaigns):
    for name, persona in everyone.items():
        for ability in CampaignAbility:
            by_queryset = set(
                campaigns_visible(_fresh(persona), ability).values_list("pk", flat=True)
            )
            by_object = {
                c.pk for c in campaigns if campaign_permissions(_fresh(persona), c)[ability]
            }
            assert by_queryset == by_object, (name, ability)
            for c in campaigns:
                seen = campaign_permissions(_fresh(persona), c).see
                expected = 200 if c.pk in by_object else (403 if seen else 404)
                assert _refusal(_fresh(persona), c, ability) == expected, (name, ability, c.name)
        seen = set(campaigns_visible(_fresh(persona)).values_list("pk", flat=True))
        assert set(campaign_list_for(user=_fresh(persona)).values_list("pk", flat=True)) == seen
        client.force_login(persona)
        api = {c["id"] for c in client.get("/api/health/screening/campaigns").json()}
        assert api == seen, name
        page = client.get("/health/screening/").content.decode()
        for c in campaigns:
            detail_api = client.get(f"/api/health/screening/campaigns/{c.pk}").status_code
            detail_page = client.get(f"/health/screening/{c.pk}/").status_code
            expected = 200 if c.pk in seen else 404
            assert (detail_api, detail_page) == (expected, expected), (name, c.name)
            assert (f"/health/screening/{c.pk}/" in page) == (c.pk in seen), (name, c.name)
            if c.pk in seen:
                assert campaign_get_for(user=_fresh(persona), campaign_id=c.pk) == c
            manage = _refusal(_fresh(persona), c, CampaignAbility.MANAGE)
            close = client.post(f"/api/health/screening/campaigns/{c.pk}/close")
            if manage == 200:
                assert close.status_code == 200, name
                c.closed_at = None
                c.save(update_fields=["closed_at"])
            else:
                assert close.status_code == manage, (name, c.name)


def test_households_in_sight_agree_with_the_visit_refusal_and_the_lists(
    client, everyone, campaigns, homes
):
    district_wide = campaigns[0]
    now = timezone.now()
    day = timezone.localdate()
    all_homes = [homes.first, homes.second, homes.sibling, homes.far]
    for name, persona in everyone.items():
        in_sight = set(
            Household.objects.filter(sight_q(_fresh(persona), district_wide)).values_list(
                "pk", flat=True
            )
        )
        refusals = {
            h.pk: screening_refusal(_fresh(persona), district_wide, h, now, day) for h in all_homes
        }
        assert in_sight == {pk for pk, r in refusals.items() if r is None or r[0] != 404}, name
        client.force_login(persona)
        listed = client.get(f"/api/health/screening/campaigns/{district_wide.pk}/unvisited")
        if not campaign_permissions(_fresh(persona), district_wide).see:
            assert listed.status_code == 404, name
            continue
        assert {h["id"] for h in listed.json()["items"]} == in_sight, name
        to_screen = client.get(
            f"/api/health/screening/campaigns/{district_wide.pk}/unvisited?to_screen=true"
        )
        assert {h["id"] for h in to_screen.json()["items"]} == {
            pk for pk, r in refusals.items() if r is None
        }, name
