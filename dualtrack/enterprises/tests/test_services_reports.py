"""Daily reports, missing reports, the 24:00 snapshot and the figures."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dualtrack.core.errors import Conflict, ValidationFailed
from dualtrack.enterprises.figures import figures_for
from dualtrack.enterprises.models import DailyReport, DailySnapshot, Enterprise, report_deadline
from dualtrack.enterprises.selectors import missing_reports_for
from dualtrack.enterprises.services.filings import (
    filing_approve,
    filing_pass,
    filing_review,
    filing_submit,
)
from dualtrack.enterprises.services.reports import daily_report_submit

from .conftest import filing_data
from .factories import FilingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resumed(personas, enterprise, ent_user, wg_enterprise):
    past = timezone.localdate() - datetime.timedelta(days=5)
    filing = FilingFactory(actor=ent_user, enterprise=enterprise, planned_date=past)
    filing_approve(
        actor=wg_enterprise, filing=filing_review(actor=personas.town_officer, filing=filing)
    )
    enterprise.refresh_from_db()
    return enterprise


def test_report_is_idempotent_and_a_retry_corrects_it(resumed, ent_user, settings):
    settings.DAILY_REPORT_DEADLINE_HOUR = 36  # whatever the hour now, yesterday's is not due
    day = timezone.localdate() - datetime.timedelta(days=1)
    daily_report_submit(actor=ent_user, enterprise=resumed, date=day, workers_on_duty=50)
    daily_report_submit(actor=ent_user, enterprise=resumed, date=day, workers_on_duty=55)
    assert DailyReport.objects.get().workers_on_duty == 55


def test_future_date_and_negative_count_are_refused(resumed, ent_user):
    with pytest.raises(ValidationFailed) as exc:
        daily_report_submit(
            actor=ent_user, enterprise=resumed, date=timezone.localdate(), workers_on_duty=-3
        )
    assert {e["field"] for e in exc.value.errors} == {"date", "workers_on_duty"}
    assert not DailyReport.objects.exists()


def test_an_enterprise_not_resumed_does_not_report(enterprise, ent_user):
    with pytest.raises(Conflict):
        daily_report_submit(
            actor=ent_user,
            enterprise=enterprise,
            date=timezone.localdate() - datetime.timedelta(days=1),
            workers_on_duty=3,
        )


def test_missing_reports_are_listed_for_the_town(personas, resumed, ent_user):
    day = timezone.localdate() - datetime.timedelta(days=1)
    assert list(missing_reports_for(user=personas.town_officer, date=day)) == [resumed]
    daily_report_submit(actor=ent_user, enterprise=resumed, date=day, workers_on_duty=5)
    assert not missing_reports_for(user=personas.town_officer, date=day).exists()


def test_snapshot_is_idempotent_and_figures_read_it(personas, resumed, far_enterprise, ent_user):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    before = yesterday - datetime.timedelta(days=1)
    daily_report_submit(actor=ent_user, enterprise=resumed, date=before, workers_on_duty=40)
    daily_report_submit(actor=ent_user, enterprise=resumed, date=yesterday, workers_on_duty=60)
    out = io.StringIO()
    call_command("freeze_daily_snapshot", "--date", yesterday.isoformat(), stdout=out)
    call_command("freeze_daily_snapshot", "--date", yesterday.isoformat(), stdout=out)
    rows = DailySnapshot.objects.filter(date=yesterday)
    assert rows.count() == 2  # one cell per town here
    assert sum(r.workers_on_duty for r in rows) == 40  # the day before's 24:00, as reported
    figures = figures_for(user=personas.district_admin)
    assert figures.total.enterprises == 2 and figures.total.resumed == 1
    assert figures.total.workers_on_duty == 60
    assert figures.series[-1]["resumed"] == 1
    town = figures_for(user=personas.town_officer)
    assert town.total.enterprises == 1
    assert [t.label for t in town.by_town] == ["昌东镇"]


def test_writes_keep_todays_working_copy_current(
    personas, district, enterprise, ent_user, wg_enterprise
):
    call_command("freeze_daily_snapshot", stdout=io.StringIO())
    today = timezone.localdate()
    assert DailySnapshot.objects.filter(date=today).exists()
    before = figures_for(user=personas.district_admin)
    assert (before.total.enterprises, before.total.filed) == (1, 0)
    filing = filing_submit(
        actor=ent_user,
        enterprise=enterprise,
        data=filing_data(planned_date=today - datetime.timedelta(days=2)),
    )
    assert figures_for(user=personas.district_admin).total.filed == 1
    filing_pass(actor=wg_enterprise, filing=filing_pass(actor=personas.town_officer, filing=filing))
    figures = figures_for(user=personas.district_admin)
    assert (figures.total.approved, figures.total.resumed) == (1, 1)
    daily_report_submit(
        actor=ent_user,
        enterprise=Enterprise.objects.get(pk=enterprise.pk),
        date=today - datetime.timedelta(days=1),
        workers_on_duty=9,
    )
    assert figures_for(user=personas.district_admin).total.workers_on_duty == 9
    from .conftest import CODES, make_enterprise

    make_enterprise(personas.district_admin, district.other_town, CODES[4], "新登记")
    assert figures_for(user=personas.district_admin).total.enterprises == 2


def test_a_report_above_the_workforce_is_refused(resumed, ent_user, client):
    """5,000 workers were accepted for a firm of 110: the figure is bounded by the larger of
    the roster and the registered headcount (100 here, no roster yet)."""
    day = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        daily_report_submit(actor=ent_user, enterprise=resumed, date=day, workers_on_duty=5000)
    assert refused.value.errors[0]["field"] == "workers_on_duty"
    assert "100" in refused.value.errors[0]["message"]
    assert not DailyReport.objects.exists()
    daily_report_submit(actor=ent_user, enterprise=resumed, date=day, workers_on_duty=100)
    client.force_login(ent_user)
    response = client.post(
        f"/api/enterprises/enterprises/{resumed.pk}/daily-reports",
        {"date": day.isoformat(), "workers_on_duty": 101},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "workers_on_duty"
    assert DailyReport.objects.get().workers_on_duty == 100


def test_a_resubmission_after_the_deadline_keeps_the_figure_sent_in_time(
    resumed, ent_user, personas, client
):
    """The morning's figure was counted; sent again after noon, the new figure is kept beside
    it, marked late, and the district's figures do not move."""
    day = timezone.localdate() - datetime.timedelta(days=3)
    daily_report_submit(actor=ent_user, enterprise=resumed, date=day, workers_on_duty=80)
    morning = report_deadline(day) - datetime.timedelta(hours=3)
    DailyReport.objects.update(reported_at=morning)  # it was sent that morning
    figures_before = figures_for(user=personas.district_admin).series
    client.force_login(ent_user)
    response = client.post(
        f"/api/enterprises/enterprises/{resumed.pk}/daily-reports",
        {"date": day.isoformat(), "workers_on_duty": 95},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["workers_on_duty"], body["late_workers_on_duty"], body["is_late"]) == (
        80,
        95,
        False,
    )
    report = DailyReport.objects.get()
    assert (report.workers_on_duty, report.reported_at) == (80, morning)
    assert figures_for(user=personas.district_admin).series == figures_before
    page = client.get(reverse("portal_home"))
    assert 'data-testid="report-late-figure"' in page.text


def test_a_first_report_after_the_deadline_counts_and_shows_late(resumed, ent_user, client):
    day = timezone.localdate() - datetime.timedelta(days=3)
    report = daily_report_submit(actor=ent_user, enterprise=resumed, date=day, workers_on_duty=70)
    assert report.is_late and report.workers_on_duty == 70
    client.force_login(ent_user)
    assert 'data-testid="report-late"' in client.get(reverse("portal_home")).text
