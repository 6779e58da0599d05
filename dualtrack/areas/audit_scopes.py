"""Tells the audit trail which records of this app a user may see the history of."""

from __future__ import annotations

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

register_audit_scope(
    Area,
    lambda user: Area.objects.filter(scope_for(user).areas_q(permission=Permission.VIEW_AUDIT)),
)
for _model in (Household, Resident, Cadre, LiaisonAssignment, OrgUnit, RoleGrant):
    register_audit_scope(
        _model,
        lambda user, model=_model: scope_for(user).filter_by_area(
            model.objects.all(), permission=Permission.VIEW_AUDIT
        ),
    )
