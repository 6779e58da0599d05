"""What quarantine gives the platform: figures within the user's sight, the missed checks in
the waiting counts and the shared inbox, readable history, and a scoped admin."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from dualtrack.core import platform
from dualtrack.health.models import QuarantineOrder


def _figures(user, day=None):
    return {
        f.key: f
        for f in platform.figures_for(user=user, day=day or timezone.localdate())
        if f.key.startswith("health.")
    }


def _placed_yesterday(*orders):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    start = datetime.datetime.combine(
        yesterday, datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    QuarantineOrder.objects.filter(pk__in=[o.pk for o in orders]).update(
        created_at=start, starts_on=yesterday
    )


def test_figures_within_sight(personas, home_order, site_order, far_order, site):
    _placed_yesterday(home_order, site_order)
    town = _figures(personas.town_officer)
    assert town["health.under_quarantine"].value == 2
    assert town["health.site_occupancy"].value == 1 and town["health.site_occupancy"].unit == "/ 3"
    # Yesterday's two slots were due and nobody checked.
    assert town["health.missed_checks"].value == 2
    assert _figures(personas.district_admin)["health.under_quarantine"].value == 3
    # Quarantine gives none to those who see none of it (the alerts' count is another part's).
    quarantine_keys = {"health.under_quarantine", "health.missed_checks", "health.site_occupancy"}
    assert _figures(personas.outsider) == {}
    assert not quarantine_keys & _figures(personas.checkpoint_staff).keys()
    assert "health.open_alerts" in _figures(personas.checkpoint_staff)


def test_missed_checks_wait_for_the_cadre_and_the_sites_staff(
    personas, home_order, site_order, site_staff, site
):
    _placed_yesterday(home_order, site_order)
    waiting = {w.key: w for w in platform.waiting_for(personas.village_cadre)}
    assert waiting["quarantine_missed_checks"].count == 1
    items = [i for i in platform.inbox_for(personas.village_cadre) if "quarantine" in i.key]
    assert [i.title for i in items] == ["张家"] and items[0].urgent
    assert items[0].url == reverse("quarantine_order_detail", args=[home_order.pk])
    staff = {w.key: w for w in platform.waiting_for(site_staff)}["quarantine_missed_checks"]
    assert staff.count == 1
    assert staff.url == reverse("quarantine_site_detail", args=[site.pk])
    # The town and the district see the figure, not a follow-up of their own.
    assert "quarantine_missed_checks" not in {
        w.key for w in platform.waiting_for(personas.town_officer)
    }
    assert not [i for i in platform.inbox_for(personas.commander) if "quarantine" in i.key]


def test_history_readable_in_scope_only(client, personas, home_order, far_order):
    client.force_login(personas.town_officer)
    url = reverse("audit_history", args=["health", "quarantineorder", home_order.pk])
    assert client.get(url).status_code == 200
    far = reverse("audit_history", args=["health", "quarantineorder", far_order.pk])
    assert client.get(far).status_code == 404


def test_the_admin_is_scoped(client, personas, home_order, far_order, site, far_site):
    officer = personas.town_officer
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    listing = client.get(reverse("admin:health_quarantineorder_changelist"))
    assert listing.status_code == 200
    assert {o.pk for o in listing.context["cl"].result_list} == {home_order.pk}
    far = client.get(reverse("admin:health_quarantineorder_change", args=[far_order.pk]))
    assert far.status_code == 404
    sites = client.get(reverse("admin:health_quarantinesite_changelist"))
    assert {s.pk for s in sites.context["cl"].result_list} == {site.pk}
    assert client.get(reverse("admin:health_quarantinesite_add")).status_code == 403
