"""The investment pipeline's reads, always scoped: the projects in sight with their stalled
flag (derived when read: a next step whose date has passed), a project with its meetings,
documents and history, the ceremonies."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from dualtrack.core.errors import NotFound
from dualtrack.core.models import User
from dualtrack.investment import access
from dualtrack.investment.models import Ceremony, Project, Stage

PIPELINE_LIMIT = 500


def mark_stalled(projects: list[Project]) -> list[Project]:
    """Flag each project whose next step's date has passed (signed ones never stall)."""
    today = timezone.localdate()
    for project in projects:
        project.stalled = bool(  # type: ignore[attr-defined]
            project.stage != Stage.SIGNED
            and project.next_step_on is not None
            and project.next_step_on < today
        )
    return projects


def project_list_for(*, user: User, stage: str = "") -> list[Project]:
    """The projects in sight, newest first (bounded), each with its stalled flag."""
    qs = access.projects_visible(user).select_related("ceremony", "local_company")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    return mark_stalled(list(qs[:PIPELINE_LIMIT]))


def project_get_for(*, user: User, project_id: int) -> Project:
    project = (
        access.projects_visible(user)
        .select_related("ceremony", "local_company")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise NotFound()
    return mark_stalled([project])[0]


def projects_by_ids(*, user: User, ids: list[int]) -> list[Project]:
    """The projects a write names; one out of sight or missing is not found."""
    found = list(access.projects_visible(user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise NotFound(errors=[{"field": "projects", "message": str(NotFound.default_message)}])
    return found


def ceremony_list_for(*, user: User) -> QuerySet[Ceremony]:
    return access.ceremonies_visible(user)[:100]
