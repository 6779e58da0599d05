"""The API of background jobs: an operation that starts long work answers 202 with the job,
which the caller polls here until it has finished, then fetches its file."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from ninja import Router, Schema, Status

from dualtrack.core import jobs, media_types
from dualtrack.core.api import ProblemOut
from dualtrack.core.models import Job, JobState
from dualtrack.core.views import AuthenticatedRequest

router = Router(tags=["jobs"])


class JobProblemOut(Schema):
    """One bad row of an import (``row`` is null for a problem of the whole file)."""

    row: int | None
    column: str
    message: str


class JobOut(Schema):
    """Long work run in the background for its owner, and what it produced."""

    id: int
    kind: str
    label: str
    state: JobState
    done: int
    total: int
    percent: int
    stage: str
    finished: bool
    stalled: bool
    summary: str
    problems: list[JobProblemOut]
    figures: dict[str, int]
    url: str
    page_url: str
    result_url: str | None
    result_name: str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None


def job_out(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "label": job.label,
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "stage": job.stage,
        "finished": job.finished,
        "stalled": job.stalled,
        "summary": job.summary,
        "problems": job.problems,
        "figures": job.figures,
        "url": reverse("api:job_get", args=[job.pk]),
        "page_url": job.get_absolute_url(),
        "result_url": reverse("api:job_result", args=[job.pk]) if job.has_result else None,
        "result_name": job.result_name,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def job_accepted(job: Job, response: HttpResponse) -> Status[dict[str, Any]]:
    """The answer of an operation that started ``job``: 202, the job, and where to poll it."""
    body = job_out(job)
    response["Location"] = body["url"]
    return Status(202, body)


# What an operation that starts a job documents for its 202.
ACCEPTED: dict[int, Any] = {202: JobOut}


@router.get(
    "",
    response={200: list[JobOut], 401: ProblemOut},
    operation_id="job_list",
    summary="The caller's own jobs (imports, exports, documents), newest first",
)
def job_list(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    return [job_out(job) for job in jobs.job_list_for(user=request.user)]


@router.get(
    "/{job_id}",
    response={200: JobOut, 401: ProblemOut, 404: ProblemOut, 422: ProblemOut},
    operation_id="job_get",
    summary="One of the caller's jobs: poll it until `finished` (or `stalled`: its worker "
    "stopped); another user's is not found",
)
def job_get(request: AuthenticatedRequest, job_id: int) -> dict[str, Any]:
    return job_out(jobs.job_get_for(user=request.user, job_id=job_id))


@router.get(
    "/{job_id}/result",
    response={200: None, 401: ProblemOut, 404: ProblemOut, 422: ProblemOut},
    operation_id="job_result",
    summary="The file a finished job produced (its `result_url`); not found before it is done",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    media_types.XLSX: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def job_result(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    found = jobs.job_result_for(user=request.user, job_id=job_id)
    response = HttpResponse(found.content, content_type=found.content_type)
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=found.filename
    )
    return response
