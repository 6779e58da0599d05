"""The screening pages: in scope 200, out of scope 404, a role lacking it 403; the open form's
errors; the drill-down; the lists; the phone page and its service worker."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from dualtrack.core.tests.helpers import followed_job, starting_jobs
from dualtrack.health.models import Campaign, HouseholdVisit
from dualtrack.health.services.screening import visits_sync
from dualtrack.health.services.screening_import import COLUMNS
from dualtrack.health.tests.screening.factories import open_campaign, paper_form, visit_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_as(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def far_campaign(district, homes, prevention) -> Campaign:
    return open_campaign(actor=prevention, areas=[district.far_village], name="麻丘摸排")


def test_campaign_list_and_open_form(page_as, campaign, district, prevention, personas):
    page = page_as(prevention).get("/health/screening/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "全面摸排" in body and 'name="areas"' in body
    cadre = page_as(personas.village_cadre).get("/health/screening/").content.decode()
    assert "全面摸排" in cadre and 'name="areas"' not in cadre
    assert (
        page_as(personas.village_cadre).post("/health/screening/", {"name": "x"}).status_code == 403
    )


def test_open_form_errors_and_success(page_as, district, homes, prevention):
    client = page_as(prevention)
    today = timezone.localdate()
    bad = client.post(
        "/health/screening/",
        {
            "name": "二轮",
            "starts_on": today.isoformat(),
            "ends_on": (today - datetime.timedelta(days=1)).isoformat(),
            "areas": [district.town.pk],
            "asks_temperature": "on",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert bad.status_code == 422
    assert "结束日期不能早于开始日期" in bad.content.decode()
    assert not Campaign.objects.exists()
    good = client.post(
        "/health/screening/",
        {
            "name": "二轮",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "areas": [district.town.pk],
            "asks_temperature": "on",
        },
    )
    assert good.status_code == 302
    campaign = Campaign.objects.get()
    assert not campaign.asks_travel and campaign.asks_temperature


def test_campaign_page_drills_down_and_is_scoped(
    page_as, campaign, far_campaign, district, personas
):
    admin = page_as(personas.district_admin)
    top = admin.get(f"/health/screening/{campaign.pk}/").content.decode()
    assert "昌东镇" in top and "麻丘镇" in top and "coverage-chart-data" in top
    fragment = admin.get(
        f"/health/screening/{campaign.pk}/?area={district.town.pk}", HTTP_HX_REQUEST="true"
    )
    text = fragment.content.decode()
    assert "艾溪村" in text and "<html" not in text
    cadre = page_as(personas.village_cadre)
    assert cadre.get(f"/health/screening/{campaign.pk}/").status_code == 200
    assert cadre.get(f"/health/screening/{far_campaign.pk}/").status_code == 404
    assert (
        cadre.get(f"/health/screening/{campaign.pk}/?area={district.far_village.pk}").status_code
        == 404
    )
    assert cadre.post(f"/health/screening/{campaign.pk}/close/").status_code == 403


def test_close_from_the_page(page_as, campaign, prevention):
    response = page_as(prevention).post(f"/health/screening/{campaign.pk}/close/")
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.closed_at is not None


def test_lists_are_scoped(
    page_as, campaign, far_campaign, homes, personas, django_assert_max_num_queries
):
    cadre = page_as(personas.village_cadre)
    with django_assert_max_num_queries(12):
        unvisited = cadre.get(f"/health/screening/{campaign.pk}/unvisited/")
    assert homes.first.number in unvisited.content.decode()
    assert homes.far.number not in unvisited.content.decode()
    with django_assert_max_num_queries(12):
        uncovered = cadre.get(f"/health/screening/{campaign.pk}/uncovered/")
    assert "张三" in uncovered.content.decode()
    assert cadre.get(f"/health/screening/{far_campaign.pk}/unvisited/").status_code == 404
    assert cadre.get(f"/health/screening/{far_campaign.pk}/uncovered/").status_code == 404
    assert (
        cadre.get(f"/health/screening/{campaign.pk}/households/{homes.first.pk}/").status_code
        == 200
    )
    assert (
        cadre.get(f"/health/screening/{campaign.pk}/households/{homes.far.pk}/").status_code == 404
    )


def test_household_page_shows_the_visits(page_as, campaign, homes, personas):
    visits_sync(actor=personas.village_cadre, rows=[visit_row(campaign, homes.first)])
    page = page_as(personas.village_cadre).get(
        f"/health/screening/{campaign.pk}/households/{homes.first.pk}/"
    )
    assert "张三" in page.content.decode() and "36.5" in page.content.decode()


def test_phone_page_and_service_worker(page_as, campaign, far_campaign, personas, volunteer):
    page = page_as(volunteer).get(f"/health/screening/{campaign.pk}/screen/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "screen.js" in body and "张三" not in body  # no personal data in the cached page
    assert page_as(volunteer).get(f"/health/screening/{far_campaign.pk}/screen/").status_code == 404
    assert (
        page_as(personas.commander).get(f"/health/screening/{campaign.pk}/screen/").status_code
        == 403
    )
    worker = page_as(volunteer).get("/health/screening/sw.js")
    assert worker["Service-Worker-Allowed"] == "/health/screening/"
    assert b"dualtrack-screening-" in worker.content


def test_import_page_starts_a_job(page_as, campaign, homes, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    cadre = page_as(personas.village_cadre)
    assert cadre.get(f"/health/screening/{campaign.pk}/import/").status_code == 200
    bad = cadre.post(
        f"/health/screening/{campaign.pk}/import/", {"file": SimpleUploadedFile("x.xlsx", b"nope")}
    )
    assert bad.status_code == 422
    template = paper_form(cadre, campaign)
    with starting_jobs():
        response = cadre.post(
            f"/health/screening/{campaign.pk}/import/",
            {"file": SimpleUploadedFile("t.xlsx", template)},
        )
    job, _page = followed_job(cadre, response)
    assert job.state == "failed"  # the template as downloaded holds no visit
    assert not HouseholdVisit.objects.exists()
    assert (
        page_as(personas.commander).get(f"/health/screening/{campaign.pk}/import/").status_code
        == 403
    )
    assert (
        page_as(personas.commander)
        .post(f"/health/screening/{campaign.pk}/template.xlsx")
        .status_code
        == 403
    )


def test_paper_form_is_made_by_a_job_with_a_row_per_resident_left(
    page_as, campaign, homes, personas
):
    """The paper form (tens of thousands of rows in a large town) is a job, not a request: the
    page's button starts it; the workbook holds the header and one row per resident of each
    household in the user's screening area that is not visited yet, as it did when the request
    made it."""
    cadre = page_as(personas.village_cadre)
    page = cadre.get(f"/health/screening/{campaign.pk}/import/").content.decode()
    assert f'action="/health/screening/{campaign.pk}/template.xlsx"' in page
    assert cadre.get(f"/health/screening/{campaign.pk}/template.xlsx").status_code == 405
    visits_sync(actor=personas.village_cadre, rows=[visit_row(campaign, homes.first)])
    sheet = openpyxl.load_workbook(io.BytesIO(paper_form(cadre, campaign))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [h for h, _name in COLUMNS]
    residents = list(homes.second.residents.order_by("pk"))
    assert rows[1:] == [
        [homes.second.pk, homes.second.number, homes.second.address, r.pk, r.name]
        + [None] * (len(COLUMNS) - 5)
        for r in residents
    ]
    assert [r[4] for r in rows[1:]] == ["王五", "赵六"]


def test_paper_form_holds_whole_households_up_to_what_the_import_takes(
    page_as, campaign, homes, personas, monkeypatch
):
    """A large town's form stops at the import's limit (it went past it, a page of households
    at a time, and the filled-in form was then refused), with no household cut in two."""
    from dualtrack.health.services import screening_import

    residents = homes.first.residents.count() + homes.second.residents.count()
    monkeypatch.setattr(screening_import, "MAX_ROWS", residents - 1)
    sheet = openpyxl.load_workbook(
        io.BytesIO(paper_form(page_as(personas.village_cadre), campaign))
    ).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)][1:]

    assert [r[0] for r in rows] == [homes.first.pk] * homes.first.residents.count()


def test_figures_through_the_platform(campaign, homes, personas):
    from dualtrack.core import platform

    visits_sync(actor=personas.village_cadre, rows=[visit_row(campaign, homes.first)])
    day = timezone.localdate()
    mine = {f.key: f.value for f in platform.figures_for(user=personas.village_cadre, day=day)}
    assert mine["health.households_visited"] == 50.0  # one of the village's two households
    everyone = {f.key: f.value for f in platform.figures_for(user=personas.district_admin, day=day)}
    assert everyone["health.households_visited"] == 25.0
    outsider = [f.key for f in platform.figures_for(user=personas.outsider, day=day)]
    assert not [k for k in outsider if k.startswith("health.")]


@pytest.mark.parametrize("sorted_scope", [20_000, 0], ids=["sorted", "walked"])
def test_the_residents_not_yet_covered_are_read_alike_by_their_areas_or_by_id(
    page_as, campaign, homes, personas, district, sorted_scope, monkeypatch
):
    """A sight of few residents is read by its areas and sorted, a larger one walked in id
    order: the same residents either way, in id order, a page at a time, in sight only; the
    statements do not grow with the residents, and their encrypted numbers are not read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dualtrack.areas.models import Resident
    from dualtrack.health.selectors import screening
    from dualtrack.health.tests.screening.factories import home

    monkeypatch.setattr(screening, "SORTED_SCOPE", sorted_scope)
    monkeypatch.setattr("dualtrack.health.views.screening.campaigns.LIST_SHOWN", 3)
    visits_sync(actor=personas.village_cadre, rows=[visit_row(campaign, homes.first)])
    cadre = page_as(personas.village_cadre)
    url = f"/health/screening/{campaign.pk}/uncovered/"

    def shown(query: str = "") -> tuple[list[int], list[str]]:
        with CaptureQueriesContext(connection) as queries:
            page = cadre.get(url + query).content.decode()
        ids = [int(part.split('"')[0]) for part in page.split('data-testid="resident-')[1:]]
        return ids, [q["sql"] for q in queries.captured_queries]

    few, few_sql = shown()
    village = Resident.objects.filter(area__code__startswith=district.village.code)
    assert few == list(village.exclude(household=homes.first).values_list("pk", flat=True))
    for _ in range(3):
        home(actor=personas.district_admin, area=district.group)
        home(actor=personas.district_admin, area=district.far_group)
    first, more_sql = shown()
    rest, _sql = shown(f"?after={first[-1]}")
    expected = list(village.exclude(household=homes.first).order_by("pk"))
    assert first + rest[:3] == [r.pk for r in expected[:6]] and len(first) == 3
    assert len(more_sql) == len(few_sql)
    reads = [sql for sql in more_sql if 'FROM "areas_resident"' in sql]
    assert reads and not any('"id_number"' in sql or '"geometry"' in sql for sql in reads)
