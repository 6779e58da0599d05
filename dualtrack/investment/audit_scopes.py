"""Whose audit history of the pipeline a user may read: those who read the whole district's
audit trail (the pipeline is the district's; its entries carry no area)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from dualtrack.areas.audit_scopes import audit_area_visible
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import AuditScope
from dualtrack.investment.models import Ceremony, Meeting, Project, ProjectDocument


def _district_wide(model: type[Model]) -> AuditScope:
    def visible(user: User) -> QuerySet[Any]:
        manager = model._default_manager
        if scope_for(user).is_district_wide(Permission.VIEW_AUDIT):
            return manager.all()
        return manager.none()

    return AuditScope(model=model, visible=visible, area_visible=audit_area_visible)


AUDIT_SCOPES = tuple(_district_wide(m) for m in (Project, Meeting, ProjectDocument, Ceremony))
