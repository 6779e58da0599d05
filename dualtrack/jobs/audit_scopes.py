"""Whose audit history of the employment services' records a user may read: postings and
applications by their enterprise's town; fairs and introducers, which are the district's, by
those who read the whole district's audit trail (their entries carry the district's code)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from dualtrack.areas.audit_scopes import audit_area_visible, scoped_by_area
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import AuditScope
from dualtrack.jobs.models import Application, Fair, Introducer, Posting


def _district_wide(model: type[Model]) -> AuditScope:
    def visible(user: User) -> QuerySet[Any]:
        manager = model._default_manager
        if scope_for(user).is_district_wide(Permission.VIEW_AUDIT):
            return manager.all()
        return manager.none()

    return AuditScope(model=model, visible=visible, area_visible=audit_area_visible)


AUDIT_SCOPES = (
    _district_wide(Fair),
    _district_wide(Introducer),
    scoped_by_area(Posting, "enterprise__area"),
    scoped_by_area(Application, "enterprise__area"),
)
