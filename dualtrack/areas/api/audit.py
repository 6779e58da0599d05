"""The areas API: a record's audit trail."""

from __future__ import annotations

from typing import Any

from dualtrack.areas.api.router import router
from dualtrack.areas.schemas import (
    AuditHistoryOut,
)
from dualtrack.core.api import READ
from dualtrack.core.audit import audit_history_for
from dualtrack.core.views import AuthenticatedRequest


@router.get(
    "/audit/{app_label}/{model_name}/{object_id}",
    response={200: AuditHistoryOut, **READ},
    operation_id="audit_history",
    summary="A record's audit trail, newest first",
)
def audit_history(
    request: AuthenticatedRequest, app_label: str, model_name: str, object_id: str
) -> dict[str, Any]:
    history = audit_history_for(
        user=request.user, app_label=app_label, model_name=model_name, object_id=object_id
    )
    return {
        "record_type": history.model._meta.label_lower,
        "record_id": history.record_id,
        "record": history.record_repr,
        "entries": history.entries,
    }
