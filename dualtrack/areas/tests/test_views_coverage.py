"""The coverage page: gaps per town in the user's scope, and the drill-down into one town."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from playwright.sync_api import expect

from dualtrack.areas.models import IndustrySector, OrgUnitKind
from dualtrack.areas.services.organisation import (
    cadre_create,
    liaison_assign,
    org_unit_create,
    sector_assign,
)
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.core.models import User

URL = "/coverage/"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def gaps(district, personas):
    """艾溪村 and 麻丘社区 have a liaison, 南山村 has none; 麻丘社区's group has no household;
    one household of 艾溪村 has no resident; sector T has no working group."""
    admin = personas.district_admin
    cadre = cadre_create(actor=admin, name="刘干部", origin="district_organ", area=district.town)
    liaison_assign(actor=admin, cadre=cadre, area=district.village)
    liaison_assign(actor=admin, cadre=cadre, area=district.far_village)
    make_resident(actor=admin, household=make_household(actor=admin, area=district.group))
    empty = make_household(actor=admin, area=district.group, address="空户路9号")
    group = org_unit_create(
        actor=admin, kind=OrgUnitKind.WORKING_GROUP, name="企业服务组", area=district.root
    )
    for sector in IndustrySector.objects.exclude(code="T"):
        sector_assign(actor=admin, sector=sector, group=group)
    return empty


def test_admin_sees_every_towns_gaps_the_chart_data_and_the_sectors(district, personas, gaps):
    response = signed_in(personas.district_admin).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="coverage-town-{district.town.pk}"' in html
    assert f'data-testid="coverage-town-{district.other_town.pk}"' in html
    assert 'data-testid="gap-sector-T"' in html
    assert 'data-testid="gap-sector-C"' not in html
    chart = json.loads(
        html.split('id="coverage-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["towns"] == ["昌东镇", "麻丘镇"]
    # Per series: villages without liaison, groups without household, households without resident.
    assert [s["data"] for s in chart["series"]] == [[1, 0], [0, 1], [1, 0]]
    rows = {row.town.pk: row for row in response.context["report"].towns}
    assert rows[district.town.pk].gaps == 2
    assert rows[district.other_town.pk].gaps == 1
    assert response.context["totals"]["gaps"] == 3


def test_chart_script_is_loaded_with_the_csp_nonce(district, personas, gaps):
    response = signed_in(personas.district_admin).get(URL)
    html = response.content.decode()
    nonce = response.context["csp_nonce"]
    assert f'src="/static/js/coverage_chart.js" nonce="{nonce}"' in html
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]


def test_town_officer_sees_only_their_town_and_no_sectors(district, personas, gaps):
    response = signed_in(personas.town_officer).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="coverage-town-{district.town.pk}"' in html
    assert f'data-testid="coverage-town-{district.other_town.pk}"' not in html
    assert "麻丘镇" not in html
    assert 'data-testid="gap-sector-T"' not in html


def test_drill_down_lists_each_gap_of_the_town_with_links(district, personas, gaps):
    response = signed_in(personas.district_admin).get(URL, {"town": district.town.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="gap-village-{district.sibling_village.pk}"' in html
    assert f'data-testid="gap-village-{district.village.pk}"' not in html
    assert f'data-testid="gap-household-{gaps.pk}"' in html
    assert f'href="/households/{gaps.pk}/"' in html
    assert f'href="/areas/{district.sibling_village.pk}/"' in html
    # The other town's group without households belongs to the other drill-down.
    assert f'data-testid="gap-group-{district.far_group.pk}"' not in html
    # An administrator can go straight to choosing the missing liaison.
    assert f"assign={district.sibling_village.pk}" in html


def test_drill_down_of_the_other_town_shows_its_group_gap(district, personas, gaps):
    response = signed_in(personas.district_admin).get(URL, {"town": district.other_town.pk})
    html = response.content.decode()
    assert f'data-testid="gap-group-{district.far_group.pk}"' in html
    assert f'data-testid="gap-household-{gaps.pk}"' not in html


def test_town_officer_drills_into_their_own_town(district, personas, gaps):
    response = signed_in(personas.town_officer).get(URL, {"town": district.town.pk})
    assert response.status_code == 200
    assert f'data-testid="gap-village-{district.sibling_village.pk}"' in response.content.decode()
    # Liaisons are assigned by administrators: the officer is not offered the button.
    assert "assign=" not in response.content.decode()


def test_town_officer_drilling_into_another_town_gets_not_found(district, personas, gaps):
    response = signed_in(personas.town_officer).get(URL, {"town": district.other_town.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("town", ["abc", "999999"])
def test_drill_down_into_a_missing_town_is_not_found(district, personas, town):
    response = signed_in(personas.district_admin).get(URL, {"town": town})
    assert response.status_code == 404


def test_drill_down_into_a_village_is_not_found(district, personas):
    response = signed_in(personas.district_admin).get(URL, {"town": district.village.pk})
    assert response.status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, district):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/")


def test_report_takes_a_bounded_number_of_queries(
    district, personas, gaps, django_assert_max_num_queries
):
    admin = personas.district_admin
    for _ in range(5):
        make_household(actor=admin, area=district.far_group)
    client = signed_in(admin)
    with django_assert_max_num_queries(14):
        client.get(URL)
    with django_assert_max_num_queries(14):
        client.get(URL, {"town": district.other_town.pk})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_phone_sized_browser_draws_the_chart_under_the_csp_and_drills_down(
    page, district, personas, gaps
):
    """Real Chromium at 360 px: ECharts runs with the nonce (no CSP violation), and the town's
    gaps are one tap away."""
    from conftest import browser_login

    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, personas.district_admin.username)
    page.goto(URL)
    page.wait_for_selector("#coverage-chart svg")
    assert not [v for v in violations if "Content Security Policy" in v]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click(f'[data-testid="coverage-town-{district.town.pk}"] a')
    row = page.locator(f'[data-testid="gap-village-{district.sibling_village.pk}"]')
    expect(row).to_be_visible()
    assert "南山村" in row.inner_text()
