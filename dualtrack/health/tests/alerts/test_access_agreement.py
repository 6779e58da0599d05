"""Every representation of the health alerts' access rule gives the same answer, for every
persona of the shared fixtures and the roles the alerts answer to besides (a prevention group's
staff, a medical group's, a volunteer, a quarantine site's staff, a village cadre and a town
officer elsewhere, the supplies group), on the same rows: the queryset filters, the per-object
answer, ``require_handle_health_alert``, the selectors, the API (list, detail), the pages (list,
detail) and the admin.

The rows: one alert in a group of 艾溪村 (its liaison is the village cadre persona), one in 南山村
(no liaison), one in 麻丘社区 (another town)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from dualtrack.areas.models import Area, Duty, Role
from dualtrack.areas.services.organisation import role_grant_create
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.health.access.alerts import (
    health_alert_permissions,
    health_alerts_answered_q,
    health_alerts_handled_q,
    health_alerts_visible_q,
    require_handle_health_alert,
)
from dualtrack.health.models import HealthAlert
from dualtrack.health.selectors.alerts import health_alert_get_for, health_alert_list_for

pytestmark = pytest.mark.django_db

API = "/api/health/alerts"


@pytest.fixture
def rows(make_alert, district) -> dict[str, HealthAlert]:
    return {
        "village": make_alert(area=district.group, name="艾溪发热者"),
        "sibling": make_alert(area=district.sibling_village, name="南山发热者"),
        "far": make_alert(area=district.far_group, name="麻丘发热者"),
    }


def _grant(district_admin, username: str, role: str, area: Area) -> User:
    user = User.objects.create_user(username=username, password="x" * 12)
    role_grant_create(actor=district_admin, user=user, role=role, area=area)
    return user


@pytest.fixture
def everyone(district, personas, working_group_staff, far_cadre) -> dict[str, User]:
    admin = personas.district_admin
    return {
        "district_admin": admin,
        "commander": personas.commander,
        "town_officer": personas.town_officer,
        "village_cadre": personas.village_cadre,
        "checkpoint_staff": personas.checkpoint_staff,
        "outsider": personas.outsider,
        "wg_prevention": working_group_staff(Duty.PREVENTION),
        "wg_medical": working_group_staff(Duty.MEDICAL),
        "wg_supplies": working_group_staff(Duty.SUPPLIES),
        "volunteer": _grant(admin, "volunteer", Role.VOLUNTEER, district.village),
        "site_staff": _grant(admin, "site_staff", Role.SITE_STAFF, district.town),
        "far_cadre": far_cadre,
        "other_town": _grant(admin, "other_town", Role.TOWN_OFFICER, district.other_town),
    }


# What the rule should give: (seen, handled) by persona. The representations must agree with it
# and with each other.
EXPECTED = {
    "district_admin": ({"village", "sibling", "far"}, {"village", "sibling", "far"}),
    "commander": ({"village", "sibling", "far"}, {"village", "sibling", "far"}),
    "town_officer": ({"village", "sibling"}, {"village", "sibling"}),
    "village_cadre": ({"village"}, {"village"}),
    "checkpoint_staff": ({"village"}, set()),
    "outsider": (set(), set()),
    "wg_prevention": ({"village", "sibling", "far"}, {"village", "sibling", "far"}),
    "wg_medical": ({"village", "sibling", "far"}, {"village", "sibling", "far"}),
    "wg_supplies": ({"village", "sibling", "far"}, set()),
    "volunteer": ({"village"}, set()),
    "site_staff": (set(), set()),
    "far_cadre": ({"far"}, {"far"}),
    "other_town": ({"far"}, {"far"}),
}


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _refusal(user: User, alert: HealthAlert) -> int:
    try:
        require_handle_health_alert(user, alert)
    except NotFound:
        return 404
    except PermissionDenied:
        return 403
    return 200


def _get_status(user: User, alert: HealthAlert) -> int:
    try:
        health_alert_get_for(user=user, alert_id=alert.pk)
    except NotFound:
        return 404
    return 200


def test_every_representation_agrees_for_every_persona_on_every_row(rows, everyone):
    ids = {name: alert.pk for name, alert in rows.items()}
    by_id = {pk: name for name, pk in ids.items()}
    admin_view = admin.site._registry[HealthAlert]
    for persona, user in everyone.items():
        user = _fresh(user)
        seen, handled = EXPECTED[persona]
        # The per-object answer.
        permissions = {name: health_alert_permissions(user, a) for name, a in rows.items()}
        assert {n for n, p in permissions.items() if p.see} == seen, persona
        assert {n for n, p in permissions.items() if p.handle} == handled, persona
        # The queryset filters.
        by_q = HealthAlert.objects.filter(health_alerts_visible_q(user)).values_list("pk", flat=1)
        assert {by_id[pk] for pk in by_q} == seen, persona
        by_q = HealthAlert.objects.filter(health_alerts_handled_q(user)).values_list("pk", flat=1)
        assert {by_id[pk] for pk in by_q} == handled, persona
        answered = health_alerts_answered_q(user)
        if answered is not None:
            mine = HealthAlert.objects.filter(answered).values_list("pk", flat=True)
            assert {by_id[pk] for pk in mine} <= handled, persona
        # require_*.
        for name, alert in rows.items():
            expected = 200 if name in handled else 403 if name in seen else 404
            assert _refusal(user, alert) == expected, (persona, name)
        # The selectors.
        listed = {by_id[a.pk] for a in health_alert_list_for(user=user, status="all")}
        assert listed == seen, persona
        for name, alert in rows.items():
            assert _get_status(user, alert) == (200 if name in seen else 404), (persona, name)
        # The admin.
        in_admin = admin_view.rows_in_sight(user, HealthAlert.objects.all())  # type: ignore[attr-defined]
        assert {by_id[a.pk] for a in in_admin} == handled, persona

        # The API.
        client = Client()
        client.force_login(user)
        api = client.get(API, {"status": "all"}).json()
        assert {by_id[row["id"]] for row in api} == seen, persona
        assert {by_id[row["id"]] for row in api if row["name"] is not None} == handled, persona
        for name, alert in rows.items():
            detail = client.get(f"{API}/{alert.pk}")
            assert detail.status_code == (200 if name in seen else 404), (persona, name)
            if name in seen:
                assert (detail.json()["name"] is not None) == (name in handled), (persona, name)

        # The pages.
        page = client.get("/health/alerts/", {"status": "all"}).content.decode()
        on_page = {name for name, pk in ids.items() if f'data-health-alert="{pk}"' in page}
        assert on_page == seen, persona
        for name, alert in rows.items():
            detail = client.get(f"/health/alerts/{alert.pk}/")
            assert detail.status_code == (200 if name in seen else 404), (persona, name)
            if name in seen:
                shown = alert.name in detail.content.decode()
                assert shown == (name in handled), (persona, name)
                form = 'name="outcome"' in detail.content.decode()
                assert form == (name in handled), (persona, name)


def test_the_admin_answers_404_for_a_row_out_of_sight(rows, personas, client):
    personas.town_officer.is_staff = True
    personas.town_officer.save(update_fields=["is_staff"])
    client.force_login(personas.town_officer)
    listing = client.get("/admin/health/healthalert/")
    assert listing.status_code == 200
    assert "艾溪发热者" in listing.content.decode()
    assert "麻丘发热者" not in listing.content.decode()
    url = "/admin/health/healthalert/{}/change/"
    assert client.get(url.format(rows["village"].pk)).status_code == 200
    assert client.get(url.format(rows["far"].pk)).status_code == 404
