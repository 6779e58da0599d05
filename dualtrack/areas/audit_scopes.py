"""Whose audit history a user may read: the rule every app's ``AuditScope`` is built from.

A record's history is read by those who hold ``VIEW_AUDIT`` on its area; a deleted record's by
those who hold it on the area its last entry was written under (``AuditEntry.area_code``). Both
answers come from the same codes of the user's scope, so that they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

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
from dualtrack.areas.scoping import ROOT_CODE, Permission, scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import AuditScope


def audit_area_visible(user: User, area_code: str) -> bool:
    """May the user read history written under ``area_code``? An entry without an area is the
    district's: only those who read the whole district's history read it."""
    codes = scope_for(user).codes(Permission.VIEW_AUDIT)
    return any((area_code or ROOT_CODE).startswith(code) for code in codes) and (
        bool(area_code) or scope_for(user).is_district_wide(Permission.VIEW_AUDIT)
    )


def scoped_by_area(model: type[Model], field: str = "area") -> AuditScope:
    """The audit scope of a model whose area is reached through ``field`` (``"holder__area"``)."""

    def visible(user: User) -> QuerySet[Any]:
        return scope_for(user).filter_by_area(
            model._default_manager.all(), field=field, permission=Permission.VIEW_AUDIT
        )

    return AuditScope(model=model, visible=visible, area_visible=audit_area_visible)


def _visible_areas(user: User) -> QuerySet[Any]:
    return Area.objects.filter(scope_for(user).areas_q(permission=Permission.VIEW_AUDIT))


AUDIT_SCOPES = (
    AuditScope(model=Area, visible=_visible_areas, area_visible=audit_area_visible),
    *(
        scoped_by_area(model)
        for model in (Household, Resident, Cadre, LiaisonAssignment, OrgUnit, RoleGrant)
    ),
)
