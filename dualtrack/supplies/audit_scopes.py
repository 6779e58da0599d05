"""Tells the audit trail which supplies records a user may see the history of."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet

from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.audit import register_audit_scope
from dualtrack.core.models import User
from dualtrack.supplies.models import (
    Entry,
    Holder,
    StocktakeAdjustment,
    SupplyRequest,
    Transfer,
)


def _visible(model: type[Model], field: str) -> Callable[[User], QuerySet]:
    def visible(user: User) -> QuerySet:
        return scope_for(user).filter_by_area(
            model._default_manager.all(), field=field, permission=Permission.VIEW_AUDIT
        )

    return visible


register_audit_scope(Holder, _visible(Holder, "area"))
register_audit_scope(Entry, _visible(Entry, "holder__area"))
register_audit_scope(SupplyRequest, _visible(SupplyRequest, "holder__area"))
register_audit_scope(StocktakeAdjustment, _visible(StocktakeAdjustment, "holder__area"))
register_audit_scope(Transfer, _visible(Transfer, "source__area"))
