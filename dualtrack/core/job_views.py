"""The pages of background jobs: the user's own list, one job's progress and outcome (polled by
htmx until it has finished), and the file it produced."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dualtrack.core import jobs
from dualtrack.core.models import Job
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http, is_htmx

# How often an unfinished job's page asks for its progress.
POLL_SECONDS = 1


def job_started(job: Job) -> HttpResponse:
    """What a page answers once it has started a job: the job's page (303, so that a reload
    does not post the form again)."""
    response = HttpResponseRedirect(job.get_absolute_url())
    response.status_code = 303
    return response


@require_GET
@login_required
@never_cache
def job_list(request: AuthenticatedRequest) -> HttpResponse:
    """The user's own imports, exports and documents, newest first."""
    context = {"jobs": jobs.job_list_for(user=request.user), "limit": jobs.JOB_LIST_LIMIT}
    return render(request, "core/job_list.html", context)


@require_GET
@login_required
@never_cache
@domain_errors_as_http
def job_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One job: its progress while it runs, then its summary, its file and every bad row."""
    job = jobs.job_get_for(user=request.user, job_id=pk)
    context = {"job": job, "poll_seconds": POLL_SECONDS}
    if is_htmx(request):
        return render(request, "core/job_detail.html#status", context)
    return render(request, "core/job_detail.html", context)


@require_GET
@login_required
@never_cache
@domain_errors_as_http
def job_result(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The file a finished job produced."""
    found = jobs.job_result_for(user=request.user, job_id=pk)
    response = HttpResponse(found.content, content_type=found.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=found.filename
    )
    return response
