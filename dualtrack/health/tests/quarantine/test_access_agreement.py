"""Every persona against every representation of quarantine's access rule, on the same rows:
the queryset filters (``orders_q``, ``sites_q``), the per-object answers (``order_abilities``,
``site_abilities``), the ``require_*`` checks, the API's list and detail, and the pages' list
and detail. They must all agree, and agree with what the rule says each persona may do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.health.access.quarantine import (
    Ability,
    order_abilities,
    orders_q,
    require_order,
    require_site,
    site_abilities,
    sites_q,
)
from dualtrack.health.models import QuarantineOrder, QuarantineSite

PERSONAS = (
    "district_admin",
    "commander",
    "town_officer",
    "village_cadre",
    "checkpoint_staff",
    "outsider",
    "site_staff",
    "idle_site_staff",
    "prevention",
)

# persona → {order: set of abilities}; an order missing is out of sight.
EXPECTED_ORDERS = {
    "district_admin": {
        "home": {"see", "manage", "record_checks", "view_personal_data"},
        "site": {"see", "manage", "record_checks", "view_personal_data"},
        "far": {"see", "manage", "record_checks", "view_personal_data"},
    },
    "commander": {"home": {"see"}, "site": {"see"}, "far": {"see"}},
    "town_officer": {
        "home": {"see", "manage", "record_checks"},
        "site": {"see", "manage", "record_checks"},
    },
    "village_cadre": {"home": {"see", "manage", "record_checks", "view_personal_data"}},
    "checkpoint_staff": {},
    "outsider": {},
    "site_staff": {"site": {"see", "record_checks"}},
    "idle_site_staff": {},
    "prevention": {
        "home": {"see", "manage", "record_checks"},
        "site": {"see", "manage", "record_checks"},
        "far": {"see", "manage", "record_checks"},
    },
}

EXPECTED_SITES = {
    "district_admin": {"site": {"see", "manage"}, "far": {"see", "manage"}},
    "commander": {"site": {"see"}, "far": {"see"}},
    "town_officer": {"site": {"see", "manage"}},
    "village_cadre": {},
    "checkpoint_staff": {},
    "outsider": {},
    "site_staff": {"site": {"see"}},
    "idle_site_staff": {},
    "prevention": {"site": {"see", "manage"}, "far": {"see", "manage"}},
}


@pytest.fixture
def world(
    personas,
    site,
    far_site,
    site_staff,
    idle_site_staff,
    prevention,
    home_order,
    site_order,
    far_order,
):
    users = {name: getattr(personas, name, None) for name in PERSONAS}
    users.update(site_staff=site_staff, idle_site_staff=idle_site_staff, prevention=prevention)
    orders = {"home": home_order, "site": site_order, "far": far_order}
    sites = {"site": site, "far": far_site}
    return users, orders, sites


def _fresh(user):
    """The user as a new request would see them (the scope is kept on the object)."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("persona", PERSONAS)
def test_orders_every_representation_agrees(world, client, persona):
    users, orders, _sites = world
    user = users[persona]
    for ability in Ability:
        in_q = set(
            QuarantineOrder.objects.filter(orders_q(_fresh(user), ability)).values_list(
                "pk", flat=True
            )
        )
        for key, order in orders.items():
            expected = ability.value in EXPECTED_ORDERS[persona].get(key, set())
            assert order_abilities(_fresh(user), order)[ability] is expected, (key, ability)
            assert (order.pk in in_q) is expected, (key, ability)
            if expected:
                require_order(_fresh(user), order, ability)
            else:
                seen = "see" in EXPECTED_ORDERS[persona].get(key, set())
                with pytest.raises(PermissionDenied if seen else NotFound):
                    require_order(_fresh(user), order, ability)
    client.force_login(user)
    api_ids = (
        {o["id"] for o in client.get("/api/health/quarantine/orders").json()}
        if (client.get("/api/health/quarantine/orders").status_code == 200)
        else set()
    )
    seen_keys = {k for k, v in EXPECTED_ORDERS[persona].items() if "see" in v}
    assert api_ids == {orders[k].pk for k in seen_keys}
    page = client.get(reverse("quarantine_order_list"))
    for key, order in orders.items():
        visible = key in seen_keys
        api = client.get(f"/api/health/quarantine/orders/{order.pk}")
        assert api.status_code == (200 if visible else 404)
        detail = client.get(reverse("quarantine_order_detail", args=[order.pk]))
        assert detail.status_code == (200 if visible else 404)
        if page.status_code == 200:
            assert (f'data-order="{order.pk}"' in page.content.decode()) is visible


@pytest.mark.parametrize("persona", PERSONAS)
def test_sites_every_representation_agrees(world, client, persona):
    users, _orders, sites = world
    user = users[persona]
    for ability in (Ability.SEE, Ability.MANAGE):
        in_q = set(
            QuarantineSite.objects.filter(sites_q(_fresh(user), ability)).values_list(
                "pk", flat=True
            )
        )
        for key, site in sites.items():
            expected = ability.value in EXPECTED_SITES[persona].get(key, set())
            assert site_abilities(_fresh(user), site)[ability] is expected, (key, ability)
            assert (site.pk in in_q) is expected, (key, ability)
            if not expected:
                seen = "see" in EXPECTED_SITES[persona].get(key, set())
                with pytest.raises(PermissionDenied if seen else NotFound):
                    require_site(_fresh(user), site, ability)
    client.force_login(user)
    seen_keys = {k for k, v in EXPECTED_SITES[persona].items() if "see" in v}
    listed = client.get("/api/health/quarantine/sites")
    api_ids = {s["id"] for s in listed.json()} if listed.status_code == 200 else set()
    assert api_ids == {sites[k].pk for k in seen_keys}
    for key, site in sites.items():
        visible = key in seen_keys
        assert client.get(f"/api/health/quarantine/sites/{site.pk}").status_code == (
            200 if visible else 404
        )
        assert client.get(reverse("quarantine_site_detail", args=[site.pk])).status_code == (
            200 if visible else 404
        )
