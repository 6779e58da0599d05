"""The investment pages (/investment/…): the pipeline with its stalled projects and figures, a
new lead, a project's page (its stage, meetings and documents, each form its own small view),
a signing ceremony, the export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualtrack.core.errors import DomainError
from dualtrack.core.forms import add_domain_error
from dualtrack.core.job_views import job_started
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http
from dualtrack.investment import access, selectors
from dualtrack.investment.figures import pipeline_figures
from dualtrack.investment.forms import (
    CeremonyForm,
    DocumentForm,
    MeetingForm,
    ProjectForm,
    StageForm,
)
from dualtrack.investment.models import Project, Stage
from dualtrack.investment.services import ceremonies, exports, pipeline


@require_GET
@login_required
@domain_errors_as_http
def index(request: AuthenticatedRequest) -> HttpResponse:
    access.require_see_projects(request.user)
    stage = request.GET.get("stage", "")[:12]
    context = {
        "projects": selectors.project_list_for(user=request.user, stage=stage),
        "stage": stage,
        "stages": Stage.choices,
        "figures": pipeline_figures(user=request.user)
        if access.sees_pipeline(request.user)
        else None,
        "may_keep": access.is_investment_team(request.user),
    }
    return render(request, "investment/index.html", context)


@require_POST
@login_required
@domain_errors_as_http
def project_export(request: AuthenticatedRequest) -> HttpResponse:
    """Export the pipeline as an Excel file, in the background."""
    return job_started(exports.PIPELINE_EXPORT.start(actor=request.user))


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def project_new(request: AuthenticatedRequest) -> HttpResponse:
    access.require_keep_pipeline(request.user)
    form = ProjectForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                project = pipeline.project_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("investment_project", project.pk)
    return render(request, "investment/project_form.html", {"form": form}, status=status)


def _detail(
    request: AuthenticatedRequest,
    project: Project,
    *,
    stage_form: StageForm | None = None,
    meeting_form: MeetingForm | None = None,
    document_form: DocumentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "project": project,
        "history": list(project.events.all()),
        "meetings": list(project.meetings.all()),
        "documents": list(project.documents.all()),
        "may_keep": access.may_keep_project(request.user, project),
        "stage_form": stage_form or StageForm(),
        "meeting_form": meeting_form or MeetingForm(),
        "document_form": document_form or DocumentForm(),
    }
    return render(request, "investment/project_detail.html", context, status=status)


@require_GET
@login_required
@domain_errors_as_http
def project_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.project_get_for(user=request.user, project_id=pk))


@require_POST
@login_required
@domain_errors_as_http
def project_stage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for(user=request.user, project_id=pk)
    access.require_keep_project(request.user, project)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            pipeline.project_advance(actor=request.user, project=project, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("investment_project", pk)
    return _detail(request, project, stage_form=form, status=422)


@require_POST
@login_required
@domain_errors_as_http
def meeting_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for(user=request.user, project_id=pk)
    access.require_keep_project(request.user, project)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            pipeline.meeting_add(actor=request.user, project=project, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("investment_project", pk)
    return _detail(request, project, meeting_form=form, status=422)


@require_POST
@login_required
@domain_errors_as_http
def document_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for(user=request.user, project_id=pk)
    access.require_keep_project(request.user, project)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            pipeline.document_add(actor=request.user, project=project, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("investment_project", pk)
    return _detail(request, project, document_form=form, status=422)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def ceremony_new(request: AuthenticatedRequest) -> HttpResponse:
    access.require_keep_pipeline(request.user)
    candidates = [
        p for p in selectors.project_list_for(user=request.user) if p.stage != Stage.SIGNED
    ]
    form = CeremonyForm(request.POST or None, projects=candidates)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                projects = selectors.projects_by_ids(user=request.user, ids=data.pop("projects"))
                ceremonies.ceremony_hold(actor=request.user, projects=projects, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("investment_index")
    return render(request, "investment/ceremony_form.html", {"form": form}, status=status)


urlpatterns: list[URLPattern] = [
    path("investment/", index, name="investment_index"),
    path("investment/export/", project_export, name="investment_export"),
    path("investment/projects/new/", project_new, name="investment_project_new"),
    path("investment/projects/<int:pk>/", project_detail, name="investment_project"),
    path("investment/projects/<int:pk>/stage/", project_stage, name="investment_stage"),
    path("investment/projects/<int:pk>/meetings/", meeting_add, name="investment_meeting"),
    path("investment/projects/<int:pk>/documents/", document_add, name="investment_document"),
    path("investment/ceremonies/new/", ceremony_new, name="investment_ceremony_new"),
]
