"""The shared pattern of background work: a job started by a request runs in the database
worker, reports its progress where its page reads it, and is its owner's alone."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from dualtrack.core import platform
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.jobs import Outcome, Problem, job_start, job_upload
from dualtrack.core.models import JOB_STALLED_AFTER, Job, JobState, User
from dualtrack.core.tests.helpers import PROBLEM, run_jobs, starting_jobs


def _count_lines(job: Job, progress) -> Outcome:
    lines = job_upload(job).read().decode().splitlines()
    seen = []
    for number, line in enumerate(lines, start=1):
        progress(number, len(lines), "counting")
        # What a page polling the job reads while the work goes on.
        seen.append(Job.objects.get(pk=job.pk).done)
        if line.startswith("bad"):
            raise ValidationFailed.for_field("file", f"line {number} is bad")
    bad = [Problem(n, "A", "empty") for n, line in enumerate(lines, start=1) if not line]
    if bad:
        return Outcome(ok=False, summary="some lines are empty", problems=bad)
    return Outcome(
        # The first step and the last are always written; those between at most twice a second.
        summary=f"{len(lines)} lines, seen first {seen[0]} and last {seen[-1]}",
        file="\n".join(reversed(lines)).encode(),
        filename="reversed.txt",
        content_type="text/plain",
    )


def _crash(job: Job, progress) -> Outcome:
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _handlers():
    """The handlers of this file's job kinds, registered as an app registers its own."""
    jobs = {"tests.count_lines": _count_lines, "tests.crash": _crash}
    platform.register(platform.AppContribution(label="tests.jobs", jobs=jobs))
    yield
    del platform._contributions["tests.jobs"]


@pytest.fixture
def owner(db) -> User:
    return User.objects.create_user(username="owner", password="x", language="en")


@pytest.fixture
def other(db) -> User:
    return User.objects.create_user(username="other", password="x")


def _start(owner: User, text: str, kind: str = "tests.count_lines") -> Job:
    with starting_jobs():
        return job_start(
            actor=owner,
            kind=kind,
            label="Count lines",
            upload=io.BytesIO(text.encode()),
            upload_name="lines.txt",
        )


def test_a_job_runs_in_the_worker_with_its_progress_visible_and_its_result_kept(owner):
    job = _start(owner, "a\nb\nc")
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.upload is not None
    assert bytes(job.upload) != b"a\nb\nc"  # the upload is stored encrypted

    assert run_jobs() == 1

    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert (job.done, job.total, job.stage) == (3, 3, "counting")
    assert job.summary == "3 lines, seen first 1 and last 3"
    assert job.upload is None  # dropped once the work is done
    assert job.started_at and job.finished_at
    assert job.percent == 100


def test_the_job_page_polls_until_done_then_shows_the_result(client, owner):
    job = _start(owner, "one\ntwo")
    client.force_login(owner)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert "My jobs" in page.content.decode()

    run_jobs()

    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in body and "hx-trigger" not in body  # the polling stops
    assert 'data-state="done"' in body and "reversed.txt" in body
    download = client.get(f"/jobs/{job.pk}/result")
    assert download.status_code == 200
    assert download.content == b"two\none"
    assert "reversed.txt" in download["Content-Disposition"]
    listing = client.get("/jobs/")
    assert f'href="/jobs/{job.pk}/"' in listing.content.decode()


def test_bad_rows_and_a_refused_file_are_shown_and_nothing_is_produced(client, owner):
    rows = _start(owner, "a\n\nb\n")
    refused = _start(owner, "a\nbad line")
    run_jobs()
    client.force_login(owner)

    rows.refresh_from_db()
    assert rows.state == JobState.FAILED
    assert rows.problems == [{"row": 2, "column": "A", "message": "empty"}]
    page = client.get(f"/jobs/{rows.pk}/").content.decode()
    assert 'data-testid="job-problems"' in page and "some lines are empty" in page
    assert client.get(f"/jobs/{rows.pk}/result").status_code == 404

    refused.refresh_from_db()
    assert refused.state == JobState.FAILED and refused.summary == "line 2 is bad"
    api = client.get(f"/api/jobs/{refused.pk}").json()
    assert api["state"] == "failed" and api["finished"] and api["result_url"] is None


def test_a_crash_ends_the_job_failed_with_a_message(client, owner):
    job = _start(owner, "x", kind="tests.crash")
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "system error" in job.summary
    assert job.upload is None


def test_the_api_polls_the_job_and_fetches_its_file(client, owner):
    job = _start(owner, "1\n2")
    client.force_login(owner)
    before = client.get(f"/api/jobs/{job.pk}")
    assert before.status_code == 200
    assert before.json()["state"] == "queued" and before.json()["result_url"] is None
    assert client.get(f"/api/jobs/{job.pk}/result").status_code == 404

    run_jobs()

    after = client.get(f"/api/jobs/{job.pk}").json()
    assert after["state"] == "done" and after["percent"] == 100
    assert after["result_url"] == f"/api/jobs/{job.pk}/result"
    assert after["page_url"] == f"/jobs/{job.pk}/"
    download = client.get(after["result_url"])
    assert download.status_code == 200 and download.content == b"2\n1"
    assert [j["id"] for j in client.get("/api/jobs").json()] == [job.pk]


def test_nobody_but_the_owner_sees_a_job(client, owner, other):
    job = _start(owner, "secret")
    run_jobs()
    client.force_login(other)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/result").status_code == 404
    response = client.get(f"/api/jobs/{job.pk}")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    assert client.get(f"/api/jobs/{job.pk}/result").status_code == 404
    assert client.get("/api/jobs").json() == []
    assert f"/jobs/{job.pk}/" not in client.get("/jobs/").content.decode()
    client.logout()
    assert client.get(f"/api/jobs/{job.pk}").status_code == 401
    assert client.get(f"/jobs/{job.pk}/").status_code == 302


def test_a_job_left_unfinished_by_a_stopped_worker_stops_being_polled(client, owner):
    job = _start(owner, "x")
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, started_at=timezone.now() - JOB_STALLED_AFTER
    )
    client.force_login(owner)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-stalled"' in page and 'hx-trigger="every' not in page
    body = client.get(f"/api/jobs/{job.pk}").json()
    assert body["stalled"] and not body["finished"]
    # A job that is merely slow is still waited for.
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now())
    assert 'hx-trigger="every' in client.get(f"/jobs/{job.pk}/").content.decode()


def test_purge_jobs_deletes_old_jobs_with_their_files_and_keeps_recent_ones(owner):
    old, recent = _start(owner, "old"), _start(owner, "recent")
    run_jobs()
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    out = io.StringIO()
    call_command("purge_jobs", stdout=out)
    assert out.getvalue().strip() == "purge_jobs: 1 jobs older than 7 days deleted"
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
    call_command("purge_jobs", stdout=io.StringIO())  # twice is harmless
    assert Job.objects.count() == 1
