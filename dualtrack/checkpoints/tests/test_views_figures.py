"""The figures page: today's numbers from the register, the 14-day chart data, drill-down from
the district to a town and a checkpoint, and the export form only for unmasked roles."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from dualtrack.checkpoints.services.alerts import alert_handle

pytestmark = pytest.mark.django_db


def _figure(body: str, name: str) -> str:
    return body.split(f'data-figure="{name}">')[1].split("<")[0]


def test_figures_count_the_days_passages_and_alerts(as_user, register, personas, district):
    register(name="甲")
    register(name="乙", direction="out")
    alert = register(name="丙", temperature=Decimal("38.5")).alert
    register(name="丁", temperature=Decimal("39.0"))
    alert_handle(actor=personas.village_cadre, alert=alert, outcome="fever_clinic")
    client = as_user("district_admin")
    body = client.get(reverse("checkpoint_figures")).content.decode()
    assert _figure(body, "people_in") == "3"
    assert _figure(body, "people_out") == "1"
    assert _figure(body, "fevers") == "2"
    assert _figure(body, "alerts_open") == "1"
    assert _figure(body, "alerts_handled") == "1"
    data = json.loads(
        body.split('id="figures-chart-data" type="application/json">')[1].split("<")[0]
    )
    assert len(data["days"]) == 14
    assert data["series"][0]["data"][-1] == 3
    # Drill down: the district lists its towns, a town its checkpoints.
    assert f"?area={district.town.pk}" in body
    town = client.get(reverse("checkpoint_figures"), {"area": district.town.pk}).content.decode()
    assert "艾溪村东口" in town and "?checkpoint=" in town


def test_checkpoint_figures_offer_the_export_only_to_unmasked_roles(as_user, checkpoint):
    url = reverse("checkpoint_figures")
    cadre = as_user("village_cadre").get(url, {"checkpoint": checkpoint.pk}).content.decode()
    assert reverse("checkpoint_export", args=[checkpoint.pk]) in cadre
    town = as_user("town_officer").get(url, {"checkpoint": checkpoint.pk}).content.decode()
    assert reverse("checkpoint_export", args=[checkpoint.pk]) not in town


def test_figures_outside_scope_are_not_found(as_user, far_checkpoint, district):
    client = as_user("town_officer")
    url = reverse("checkpoint_figures")
    assert client.get(url, {"checkpoint": far_checkpoint.pk}).status_code == 404
    assert client.get(url, {"area": district.other_town.pk}).status_code == 404


def test_figures_page_loads_the_chart_script_with_the_nonce(as_user):
    body = as_user("town_officer").get(reverse("checkpoint_figures")).content.decode()
    assert 'src="/static/vendor/echarts.min.js" nonce="' in body
    assert 'src="/static/checkpoints/figures.js" nonce="' in body


def test_the_breadcrumb_links_the_town_only_for_those_who_see_it(as_user, district, checkpoint):
    url = f"/checkpoints/figures/?checkpoint={checkpoint.pk}"
    town_link = f"?area={district.town.pk}"
    cadre = as_user("village_cadre")
    assert town_link not in cadre.get(url).content.decode()
    assert cadre.get(f"/checkpoints/figures/{town_link}").status_code == 404
    assert town_link in as_user("town_officer").get(url).content.decode()
