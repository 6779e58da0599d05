"""The pages: signing up on a phone (rate-limited), the review, the roster's export, the
figures on the board."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dualtrack.areas.tests.factories import make_id_number
from dualtrack.core import platform
from dualtrack.core.tests.helpers import followed_job, starting_jobs
from dualtrack.volunteers import excel
from dualtrack.volunteers.models import Volunteer, VolunteerStatus
from dualtrack.volunteers.services import duties

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(district, **changes):
    return {
        "name": "孙志愿",
        "mobile": "13912345678",
        "id_number": make_id_number(),
        "skills": '=HYPERLINK("x")',
        "villages": [str(district.village.pk)],
        "hours_per_week": "12",
        **changes,
    }


def test_signing_up_without_an_account(client, district):
    page = client.get("/volunteers/join/")
    assert page.status_code == 200 and district.village.name in page.content.decode()
    done = client.post("/volunteers/join/", _form(district))
    assert done.status_code == 200
    assert Volunteer.objects.get().status == VolunteerStatus.PENDING


def test_an_unknown_village_is_said_on_the_form_and_nothing_written(client, district):
    answer = client.post("/volunteers/join/", _form(district, villages=["999999"]))
    assert answer.status_code == 422
    assert 'id="id_villages_error"' in answer.content.decode()
    assert not Volunteer.objects.exists()


def test_the_sign_up_page_is_rate_limited(client, district, settings):
    settings.VOLUNTEERS_PUBLIC_RATE = "2/d"
    for _ in range(2):
        client.post("/volunteers/join/", _form(district, id_number="bad"))
    assert client.post("/volunteers/join/", _form(district)).status_code == 429
    assert not Volunteer.objects.exists()


def test_declining_on_the_page_without_a_reason_shows_the_error(sign_up, district, personas):
    pending = sign_up([district.village])
    cadre = _client(personas.village_cadre)
    answer = cadre.post(f"/volunteers/signups/{pending.pk}/decline/", {"reason": ""})
    assert answer.status_code == 422
    assert 'id="id_reason_error"' in answer.content.decode()
    assert Volunteer.objects.get(pk=pending.pk).status == VolunteerStatus.PENDING
    approved = cadre.post(f"/volunteers/signups/{pending.pk}/approve/")
    assert approved.status_code == 200 and 'data-testid="password"' in approved.content.decode()
    again = cadre.post(f"/volunteers/signups/{pending.pk}/approve/")
    assert again.status_code == 409


def test_the_roster_exports_to_excel_without_formulas_at_once_or_as_a_job(
    shift, sign_up, district, personas, monkeypatch
):
    pending = sign_up([district.village], name="=SUM(A1)")
    from dualtrack.volunteers.services.volunteers import volunteer_approve

    volunteer_approve(actor=personas.village_cadre, volunteer=pending)
    duty = duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk)
    duties.duty_assign(
        actor=personas.village_cadre, duty=duty, person_kind="volunteer", person_id=pending.pk
    )
    start = timezone.localdate().isoformat()
    url = f"/volunteers/roster/export/?area={district.village.pk}&start={start}"
    officer = _client(personas.town_officer)
    answer = officer.post(url)
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2] == shift.checkpoint.name
    assert "SUM(A1)" in rows[1][7] and not rows[1][7].startswith("=")
    # A week past the direct limit is a job: its page, then the same workbook.
    monkeypatch.setattr(excel, "DIRECT_EXPORT_SHIFTS", 0)
    with starting_jobs():
        started = officer.post(url)
    job, _page = followed_job(officer, started)
    assert job.state == "done", job.summary
    result = officer.get(reverse("job_result", args=[job.pk]))
    book = load_workbook(io.BytesIO(result.content)).active
    assert list(book.iter_rows(values_only=True)) == rows
    assert _client(personas.outsider).post("/volunteers/roster/export/").status_code == 404


def test_the_board_shows_volunteers_on_duty_in_sight_only(shift, volunteer, personas):
    duty = duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk)
    duties.duty_assign(
        actor=personas.village_cadre, duty=duty, person_kind="volunteer", person_id=volunteer.pk
    )
    today = timezone.localdate()
    figures = {f.key: f.value for f in platform.figures_for(user=personas.town_officer, day=today)}
    assert figures["volunteers.volunteers_on_duty"] == 1
    assert figures["volunteers.on_duty"] == 1
    outsider = platform.figures_for(user=personas.outsider, day=today)
    assert not [f for f in outsider if f.key.startswith("volunteers.")]


def test_the_roster_page_reads_a_bounded_number_of_queries(
    gate, make_shift, volunteer, personas, district
):
    """The same statements for two shifts with their people as for six: nothing per shift,
    per person or per area."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cadre = personas.village_cadre
    client = _client(personas.town_officer)
    start = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    url = f"/volunteers/roster/?area={district.town.pk}&start={start}"

    def add(hours_ago: int) -> None:
        shift = make_shift(gate, hours_ago=hours_ago, length=1)
        duty = duties.duty_for_shift(actor=cadre, shift_id=shift.pk)
        duties.duty_assign(actor=cadre, duty=duty, person_kind="volunteer", person_id=volunteer.pk)

    def statements() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        return len(queries), page.content.decode()

    for hours_ago in (2, 4):
        add(hours_ago)
    few, html = statements()
    assert html.count('data-testid="shift-') == 2 and volunteer.name in html
    for hours_ago in (6, 8, 10, 12):
        add(hours_ago)
    many, html = statements()
    assert html.count('data-testid="shift-') == 6
    assert many == few <= 12


def test_the_roster_writes_its_people_in_the_pages_language(shift, volunteer, sign_up, personas):
    """张三（已排班）、李四（已排班） on a Chinese page; on an English one the same people with
    English brackets and commas, not the Chinese ones around English words."""
    second = sign_up([shift.checkpoint.area], name="钱志愿")
    from dualtrack.volunteers.services.volunteers import volunteer_approve

    volunteer_approve(actor=personas.village_cadre, volunteer=second)
    duty = duties.duty_for_shift(actor=personas.village_cadre, shift_id=shift.pk)
    for person in (volunteer, second):
        duties.duty_assign(
            actor=personas.village_cadre, duty=duty, person_kind="volunteer", person_id=person.pk
        )
    officer = personas.town_officer
    start = timezone.localdate().isoformat()
    url = f"/volunteers/roster/?area={shift.checkpoint.area.pk}&start={start}"
    client = _client(officer)

    assert "<td>李志愿（已排班）、钱志愿（已排班）</td>" in client.get(url).content.decode()
    officer.language = "en"
    officer.save(update_fields=["language"])
    assert "<td>李志愿 (assigned), 钱志愿 (assigned)</td>" in client.get(url).content.decode()


@pytest.mark.parametrize("query", ["", "?start=", "?area={area}", "?area={area}&start="])
def test_the_roster_fills_its_start_field_with_the_week_it_shows(personas, district, query):
    """Asked for no week, the roster shows today's: its start field says so too, not empty
    beside "seven days from <today>"."""
    today = timezone.localdate().isoformat()
    url = "/volunteers/roster/" + query.format(area=district.village.pk)
    html = _client(personas.town_officer).get(url).content.decode()
    assert f"seven days from {today}" in html or f"自 {today} 起七天" in html
    assert f'name="start" value="{today}"' in html
