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

from dualtrack.areas.forms_organisation import ResidentImportForm
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.areas.services.imports import residents_import, residents_import_template
from dualtrack.core.errors import DomainError, PermissionDenied
from dualtrack.core.forms import add_domain_error
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
@domain_errors_as_http
def resident_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a filled-in template; every bad row is reported by row, column and reason.

    The file is not kept: when nothing was committed, the person chooses it again to import the
    good rows only, so that no spreadsheet of ID numbers lies on the server unencrypted.
    """
    if not scope_for(request.user).codes(Permission.MANAGE_PEOPLE):
        raise PermissionDenied()
    report = None
    if request.method == "POST":
        form = ResidentImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = residents_import(
                    actor=request.user,
                    file=upload,
                    filename=upload.name,
                    good_rows_only=form.cleaned_data["good_rows_only"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
    else:
        form = ResidentImportForm()
    good_rows = report.total_rows - len({e.row for e in report.errors}) if report else 0
    retry_form = None
    if report is not None and not report.committed and good_rows:
        retry_form = ResidentImportForm(initial={"good_rows_only": True}, auto_id="retry_%s")
    context = {"form": form, "report": report, "retry_form": retry_form, "good_rows": good_rows}
    return render(request, "areas/import_residents.html", context)


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
