"""Whose audit history of subsidy records a user may read: claims by their enterprise's town
(an introducer's reward and the district's records by district-wide auditors)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from dualtrack.areas.audit_scopes import audit_area_visible, scoped_by_area
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.models import User
from dualtrack.core.platform import AuditScope
from dualtrack.subsidies.models import Budget, Claim, ParameterVersion, PaymentBatch


def _district_wide(model: type[Model]) -> AuditScope:
    def visible(user: User) -> QuerySet[Any]:
        manager = model._default_manager
        if scope_for(user).is_district_wide(Permission.VIEW_AUDIT):
            return manager.all()
        return manager.none()

    return AuditScope(model=model, visible=visible, area_visible=audit_area_visible)


AUDIT_SCOPES = (
    scoped_by_area(Claim, "enterprise__area"),
    _district_wide(ParameterVersion),
    _district_wide(Budget),
    _district_wide(PaymentBatch),
)
