"""Recording parameters: a new version in force from a day, or a correction of an earlier one
over the same days. Nothing is overwritten; the recorded-at time tells them apart."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record
from dualtrack.core.errors import ValidationFailed
from dualtrack.core.models import AuditAction, User
from dualtrack.subsidies import access
from dualtrack.subsidies.models import ClauseKey, ParameterVersion

PARAMETER_NAMES = {
    "recruitment": ("per_hire", "cap"),
    "transport": ("share", "person_cap"),
    "introducer": ("threshold", "per_worker", "cap"),
    "rent": ("per_m2_month", "max_months", "cap", "park"),
    "loan": ("benchmark_rate", "share", "cap"),
    "shop": ("share", "max_months"),
}


def parameter_record(
    *,
    actor: User | None,
    clause: str,
    name: str,
    value: object,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    scope: str = "",
    reason: str = "",
    recorded_at: datetime.datetime | None = None,
) -> ParameterVersion:
    """Record one version (``actor`` None: the demo's starting parameters)."""
    if actor is not None:
        access.require_review(actor)
    if clause not in ClauseKey.values or name not in PARAMETER_NAMES.get(clause, ()):
        raise ValidationFailed.for_field("name", _("No such parameter."), code="no_parameter")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as e:
        raise ValidationFailed.for_field("value", _("Enter a number.")) from e
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e10"):
        raise ValidationFailed.for_field(
            "value", _("The value must be positive and plausible."), code="absurd_figure"
        )
    if effective_to is not None and effective_to < effective_from:
        raise ValidationFailed.for_field("effective_to", _("The period ends before it starts."))
    with transaction.atomic():
        # A version recorded over the same first day corrects the earlier ones; a new version
        # from a later day changes the value from that day on. A bounded period that reaches
        # into a later version's would say two things of the same days: refused.
        later = ParameterVersion.objects.filter(
            clause=clause, name=name, scope=scope, effective_from__gt=effective_from
        )
        if effective_to is not None and later.filter(effective_from__lte=effective_to).exists():
            raise ValidationFailed.for_field(
                "effective_to",
                _("This period overlaps a later version: correct that version instead."),
                code="overlap",
            )
        version = ParameterVersion.objects.create(
            clause=clause,
            name=name,
            scope=scope,
            value=amount,
            effective_from=effective_from,
            effective_to=effective_to,
            recorded_at=recorded_at or timezone.now(),
            recorded_by=actor,
            reason=(reason or "").strip()[:300],
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=version,
            area_code="GX",
            after={"value": str(amount), "from": effective_from.isoformat()},
            note=version.reason,
        )
    return version
