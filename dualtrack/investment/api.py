"""The investment pipeline's JSON API, mounted at /api/investment/: thin routes over the
selectors (reads, always scoped) and services (writes); errors are problem+json."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpResponse
from ninja import File, Form, Router, Status, UploadedFile

from dualtrack.core.api import READ, WRITE
from dualtrack.core.job_api import ACCEPTED, job_accepted
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.enterprises.selectors import enterprise_get_for
from dualtrack.investment import access, selectors
from dualtrack.investment.figures import pipeline_figures
from dualtrack.investment.models import Ceremony, Meeting, Project, ProjectDocument
from dualtrack.investment.schemas import (
    CeremonyIn,
    CeremonyOut,
    MeetingIn,
    MeetingOut,
    PipelineFiguresOut,
    ProjectDetailOut,
    ProjectDocumentOut,
    ProjectIn,
    ProjectOut,
    StageIn,
)
from dualtrack.investment.services import ceremonies, exports, pipeline

router = Router(tags=["investment"])


def _detail(project: Project) -> Project:
    project.history = list(project.events.all())  # type: ignore[attr-defined]
    project.meetings_list = list(project.meetings.all())  # type: ignore[attr-defined]
    return project


@router.get(
    "/projects",
    response={200: list[ProjectOut], **READ},
    operation_id="investment_project_list",
    summary="The pipeline in sight (newest 500), each project flagged when stalled",
)
def project_list(request: AuthenticatedRequest, stage: str = "") -> list[Project]:
    access.require_see_projects(request.user)
    return selectors.project_list_for(user=request.user, stage=stage[:12])


@router.post(
    "/projects/export",
    response={**ACCEPTED, **READ},
    operation_id="investment_project_export",
    summary="Export the pipeline in sight as .xlsx in the background",
    description="Answers 202 with the job to poll (`GET /api/jobs/{id}`); the finished job's "
    "`result_url` is the workbook.",
)
def project_export(request: AuthenticatedRequest, response: HttpResponse) -> Status[dict[str, Any]]:
    return job_accepted(exports.PIPELINE_EXPORT.start(actor=request.user), response)


@router.post(
    "/projects",
    response={201: ProjectOut, **WRITE},
    operation_id="investment_project_create",
    summary="Register a lead (the investment team)",
)
def project_create(request: AuthenticatedRequest, payload: ProjectIn) -> Status[Project]:
    access.require_keep_pipeline(request.user)
    data = payload.model_dump(exclude={"local_company_id"})
    company = (
        enterprise_get_for(user=request.user, enterprise_id=payload.local_company_id)
        if payload.local_company_id
        else None
    )
    project = pipeline.project_create(actor=request.user, local_company=company, **data)
    return Status(201, selectors.mark_stalled([project])[0])


@router.get(
    "/projects/{project_id}",
    response={200: ProjectDetailOut, **READ},
    operation_id="investment_project_get",
    summary="A project with its meetings, documents and history (the investor's local "
    "company: its own project)",
)
def project_get(request: AuthenticatedRequest, project_id: int) -> Any:
    project = _detail(selectors.project_get_for(user=request.user, project_id=project_id))
    return {
        **{f: getattr(project, f) for f in ProjectOut.model_fields},
        "meetings": project.meetings_list,  # type: ignore[attr-defined]
        "documents": list(project.documents.all()),
        "history": project.history,  # type: ignore[attr-defined]
    }


@router.post(
    "/projects/{project_id}/stage",
    response={200: ProjectOut, **WRITE},
    operation_id="investment_project_advance",
    summary="Move a project to its next stage (up to agreement) with the next step and date",
)
def project_advance(request: AuthenticatedRequest, project_id: int, payload: StageIn) -> Project:
    project = selectors.project_get_for(user=request.user, project_id=project_id)
    moved = pipeline.project_advance(actor=request.user, project=project, **payload.model_dump())
    return selectors.mark_stalled([moved])[0]


@router.post(
    "/projects/{project_id}/meetings",
    response={201: MeetingOut, **WRITE},
    operation_id="investment_meeting_add",
    summary="Record an online meeting with the investor",
)
def meeting_add(
    request: AuthenticatedRequest, project_id: int, payload: MeetingIn
) -> Status[Meeting]:
    project = selectors.project_get_for(user=request.user, project_id=project_id)
    meeting = pipeline.meeting_add(actor=request.user, project=project, **payload.model_dump())
    return Status(201, meeting)


@router.post(
    "/projects/{project_id}/documents",
    response={201: ProjectDocumentOut, **WRITE},
    operation_id="investment_document_add",
    summary="Upload a document exchanged with the investor (JPEG, PNG or PDF, at most 5 MB)",
)
def document_add(
    request: AuthenticatedRequest,
    project_id: int,
    title: Form[str] = "",
    direction: Form[str] = "",
    file: File[UploadedFile | None] = None,
) -> Status[ProjectDocument]:
    project = selectors.project_get_for(user=request.user, project_id=project_id)
    document = pipeline.document_add(
        actor=request.user, project=project, title=title, direction=direction, file=file
    )
    return Status(201, document)


@router.post(
    "/ceremonies",
    response={201: CeremonyOut, **WRITE},
    operation_id="investment_ceremony_hold",
    summary="Hold a signing ceremony: every project named must have its agreement",
)
def ceremony_hold(request: AuthenticatedRequest, payload: CeremonyIn) -> Status[Ceremony]:
    access.require_keep_pipeline(request.user)
    projects = selectors.projects_by_ids(user=request.user, ids=payload.project_ids)
    ceremony = ceremonies.ceremony_hold(
        actor=request.user,
        title=payload.title,
        held_at=payload.held_at,
        video_link=payload.video_link,
        projects=projects,
    )
    return Status(201, ceremony)


@router.get(
    "/ceremonies",
    response={200: list[CeremonyOut], **READ},
    operation_id="investment_ceremony_list",
    summary="The signing ceremonies",
)
def ceremony_list(request: AuthenticatedRequest) -> list[Ceremony]:
    access.require_see_pipeline(request.user)
    return list(selectors.ceremony_list_for(user=request.user))


@router.get(
    "/figures",
    response={200: PipelineFiguresOut, **READ},
    operation_id="investment_figures",
    summary="Projects and amounts by stage, stalled projects, and what each ceremony signed",
)
def figures(request: AuthenticatedRequest) -> dict[str, Any]:
    access.require_see_pipeline(request.user)
    return asdict(pipeline_figures(user=request.user))
