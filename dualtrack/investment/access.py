"""Who may see and do what in the investment pipeline: the one definition every reader asks.

- **The investment team** (staff of a working group whose duty is investment services: their
  grant carries the permission to manage investment) and the district administrator keep the
  pipeline: they see every project and ceremony and write them.
- **Other district-wide staff** (the commander, the other working groups) read the pipeline.
- **An enterprise login** that is the investor's local company sees its own project's page only,
  read-only; no one else (towns, villages, other enterprises) sees the pipeline (404).
"""

from __future__ import annotations

from django.db.models import QuerySet

from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.errors import NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.enterprises.access import enterprise_of_user
from dualtrack.investment.models import Ceremony, Project


def is_investment_team(user: User) -> bool:
    return scope_for(user).is_district_wide(Permission.MANAGE_INVESTMENT)


def sees_pipeline(user: User) -> bool:
    return is_investment_team(user) or scope_for(user).is_district_wide()


def projects_visible(user: User) -> QuerySet[Project]:
    if sees_pipeline(user):
        return Project.objects.all()
    own = enterprise_of_user(user)
    if own is not None:
        return Project.objects.filter(local_company=own)
    return Project.objects.none()


def may_see_project(user: User, project: Project) -> bool:
    """The per-row form of ``projects_visible``."""
    if sees_pipeline(user):
        return True
    own = enterprise_of_user(user)
    return own is not None and project.local_company_id == own.pk


def may_keep_project(user: User, project: Project) -> bool:
    return may_see_project(user, project) and is_investment_team(user)


def ceremonies_visible(user: User) -> QuerySet[Ceremony]:
    return Ceremony.objects.all() if sees_pipeline(user) else Ceremony.objects.none()


def require_see_pipeline(user: User) -> None:
    if not sees_pipeline(user):
        raise NotFound()


def require_keep_pipeline(user: User) -> None:
    """Out of sight: NotFound; in sight without the role: PermissionDenied."""
    require_see_pipeline(user)
    if not is_investment_team(user):
        raise PermissionDenied()


def require_keep_project(user: User, project: Project) -> None:
    if not may_see_project(user, project):
        raise NotFound()
    if not is_investment_team(user):
        raise PermissionDenied()


def require_see_projects(user: User) -> None:
    """The project list: the pipeline's readers, and enterprise logins (their own projects)."""
    if not sees_pipeline(user) and enterprise_of_user(user) is None:
        raise NotFound()
