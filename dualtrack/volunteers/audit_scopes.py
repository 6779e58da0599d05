"""Whose audit history of the front line's records a user may read: by the area each record
belongs to (a volunteer by the first of their villages, an assignment by its duty's area)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dualtrack.areas.audit_scopes import audit_area_visible, scoped_by_area
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import AuditScope
from dualtrack.volunteers.models import (
    BranchMember,
    CommandoTeam,
    Deployment,
    Duty,
    DutyAssignment,
    PartyBranch,
    Volunteer,
)


def _volunteers(user: User) -> QuerySet[Any]:
    through = Volunteer.villages.through
    ids = through.objects.filter(
        scope_for(user).areas_q(prefix="area__", permission=Permission.VIEW_AUDIT)
    ).values("volunteer_id")
    return Volunteer.objects.filter(pk__in=ids)


AUDIT_SCOPES = (
    scoped_by_area(PartyBranch, "area"),
    scoped_by_area(BranchMember, "branch__area"),
    scoped_by_area(CommandoTeam, "area"),
    scoped_by_area(Deployment, "area"),
    scoped_by_area(Duty, "area"),
    scoped_by_area(DutyAssignment, "duty__area"),
    AuditScope(model=Volunteer, visible=_volunteers, area_visible=audit_area_visible),
)
