"""Writing HQ's risk-area list, which the checkpoints' alerts and the enterprises' rosters read."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.areas.models import RiskArea, RiskLevel
from dualtrack.areas.regions import region_name
from dualtrack.areas.scoping import Permission, scope_for
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditAction, User


def _error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": str(message)}


def _require_risk_manager(actor: User) -> None:
    scope = scope_for(actor)
    if scope.is_empty:
        raise NotFound()
    if not scope.is_district_wide(Permission.MANAGE_RISK_AREAS):
        raise PermissionDenied()


def _clean_risk_area(
    *,
    region_code: str,
    level: str,
    effective_from: datetime.date,
    effective_to: datetime.date | None,
    source: str,
) -> dict[str, Any]:
    errors = []
    code = (region_code or "").strip()
    name = region_name(code) if len(code) == 6 and code.isdigit() else None
    if name is None:
        errors.append(_error("region_code", _("Enter a known six-digit GB/T 2260 region code.")))
    if level not in RiskLevel.values:
        errors.append(_error("level", _("Choose high or medium risk.")))
    if not isinstance(effective_from, datetime.date):
        errors.append(_error("effective_from", _("Enter a date as YYYY-MM-DD.")))
    elif effective_to is not None and effective_to < effective_from:
        errors.append(_error("effective_to", _("The end comes on or after the start.")))
    source = (source or "").strip()
    if not source:
        errors.append(_error("source", _("Say where the listing comes from.")))
    elif len(source) > 200:
        errors.append(_error("source", _("At most %(n)d characters.") % {"n": 200}))
    if errors:
        raise ValidationFailed(errors=errors)
    return {
        "region_code": code,
        "region_name": name,
        "level": level,
        "effective_from": effective_from,
        "effective_to": effective_to,
        "source": source,
    }


def risk_area_create(
    *,
    actor: User,
    region_code: str,
    level: str,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    source: str,
) -> RiskArea:
    """Add a region to HQ's risk-area list."""
    _require_risk_manager(actor)
    clean = _clean_risk_area(
        region_code=region_code,
        level=level,
        effective_from=effective_from,
        effective_to=effective_to,
        source=source,
    )
    with transaction.atomic():
        risk_area = RiskArea.objects.create(created_by=actor, **clean)
        audit_record(
            actor=actor, action=AuditAction.CREATE, instance=risk_area, after=snapshot(risk_area)
        )
    return risk_area


def risk_area_update(*, actor: User, risk_area: RiskArea, **fields: Any) -> RiskArea:
    """Change an entry of the list (level, dates, source)."""
    _require_risk_manager(actor)
    current = {
        "region_code": risk_area.region_code,
        "level": risk_area.level,
        "effective_from": risk_area.effective_from,
        "effective_to": risk_area.effective_to,
        "source": risk_area.source,
    }
    unknown = set(fields) - set(current)
    if unknown:
        raise ValidationFailed(
            errors=[_error(n, _("This field cannot be changed.")) for n in sorted(unknown)]
        )
    clean = _clean_risk_area(**{**current, **fields})
    with transaction.atomic():
        before = snapshot(risk_area)
        for name, value in clean.items():
            setattr(risk_area, name, value)
        risk_area.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=risk_area,
            before=before,
            after=snapshot(risk_area),
        )
    return risk_area


def risk_area_end(*, actor: User, risk_area: RiskArea, on: datetime.date | None = None) -> RiskArea:
    """Take a region off the list from a day on (today by default)."""
    on = on or timezone.localdate()
    if on < risk_area.effective_from:
        on = risk_area.effective_from
    return risk_area_update(actor=actor, risk_area=risk_area, effective_to=on)
