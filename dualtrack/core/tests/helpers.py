"""Assertions shared by the API tests, and what the access-agreement tests share."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.test import TestCase

from dualtrack.core.errors import DomainError
from dualtrack.core.models import User

PROBLEM = "application/problem+json"
JSON = "application/json"


def problem_of(response, status: int, code: str) -> dict:
    """The problem+json body of ``response``, after checking its status, type and code, and that
    it carries its request's id; without that id (each request has its own), so that two answers
    can be compared whole."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = dict(response.json())
    assert body["code"] == code
    assert body.pop("request_id") == response["X-Request-ID"]
    return body


def comparable_problem(response) -> dict:
    """A problem+json body without what names its own request: the address it answers for
    (which names the id asked for) and the request's id. Two answers that must not tell a
    record out of sight from a missing one compare equal this way."""
    body = dict(response.json())
    assert body.pop("request_id") == response["X-Request-ID"]
    body.pop("instance", None)
    return body


@contextmanager
def starting_jobs() -> Iterator[None]:
    """Inside a test's transaction: let the jobs started in the block reach the task queue, as
    their commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def run_jobs() -> int:
    """Run every queued task with the real database worker, in this process; how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    # The worker's own loop would close the test's connection between tasks; its claim-and-run
    # is what production does with each task.
    while (task_result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1
    return ran


def accepted_job(client, response) -> dict:
    """The job a 202 answer started, polled once the worker has run it."""
    assert response.status_code == 202, response.content
    started = response.json()
    assert response["Location"] == started["url"]
    assert started["state"] == "queued" and not started["finished"]
    run_jobs()
    polled = client.get(started["url"])
    assert polled.status_code == 200
    job = polled.json()
    assert job["finished"]
    return job


def followed_job(client, response):
    """The job a page started (answering 303 to its page) once the worker has run it, and the
    job's page then."""
    from dualtrack.core.models import Job

    assert response.status_code == 303, response.content
    run_jobs()
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    page = client.get(response["Location"])
    assert page.status_code == 200
    return job, page.content.decode()


# --- The access-agreement tests -----------------------------------------------------------------


def cast(personas: Any, **own: User) -> dict[str, User]:
    """Every shared persona by name, then an app's own users (``own``, by name; one named as a
    persona stands in for it)."""
    everyone = {f.name: getattr(personas, f.name) for f in dataclasses.fields(personas)}
    return everyone | own


class _Rollback(Exception):
    pass


def tried(call: Callable[[], Any]) -> bool:
    """Whether a write goes through (True) or is refused with a ``DomainError`` (False);
    whatever it wrote is rolled back."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True
    except DomainError:
        return False
