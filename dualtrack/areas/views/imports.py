"""Importing households and residents from a spreadsheet, and its template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dualtrack.areas import access
from dualtrack.areas.forms.people import ResidentImportForm
from dualtrack.areas.services.imports import residents_import_start, residents_import_template
from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.media_types import XLSX
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
@domain_errors_as_http
def resident_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a filled-in template: the import runs in the background, and its job page shows
    the progress, then every bad row by row, column and reason.

    The file is kept (encrypted) only until the job has run: to import the good rows only, the
    person chooses it again, so that no spreadsheet of ID numbers lies on the server.
    """
    access.require_import_residents(request.user)
    if request.method == "POST":
        form = ResidentImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = residents_import_start(
                    actor=request.user,
                    file=upload,
                    filename=upload.name,
                    good_rows_only=form.cleaned_data["good_rows_only"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return job_started(job)
    else:
        form = ResidentImportForm()
    return render(request, "areas/import_residents.html", {"form": form})


@require_GET
@login_required
def resident_import_template(request: AuthenticatedRequest) -> HttpResponse:
    """The spreadsheet to fill in: one row per resident, with its household and area."""
    response = HttpResponse(residents_import_template(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_("residents-import-template") + ".xlsx"
    )
    return response


urlpatterns: list[URLPattern] = [
    path("residents/import/", resident_import, name="resident_import"),
    path(
        "residents/import/template.xlsx",
        resident_import_template,
        name="resident_import_template",
    ),
]
