"""Tells the audit trail which records of this app a user may see the history of."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet

from dualtrack.areas.models import (
    Area,
    Cadre,
    Household,
    LiaisonAssignment,
    OrgUnit,
    Resident,
    RoleGrant,
)
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.audit import register_audit_scope
from dualtrack.core.models import User


def _visible(model: type[Model]) -> Callable[[User], QuerySet]:
    def visible(user: User) -> QuerySet:
        return scope_for(user).filter_by_area(
            model._default_manager.all(), permission=Permission.VIEW_AUDIT
        )

    return visible


def _visible_areas(user: User) -> QuerySet:
    return Area.objects.filter(scope_for(user).areas_q(permission=Permission.VIEW_AUDIT))


register_audit_scope(Area, _visible_areas)
for _model in (Household, Resident, Cadre, LiaisonAssignment, OrgUnit, RoleGrant):
    register_audit_scope(_model, _visible(_model))
