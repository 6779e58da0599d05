"""The working-day calendar as the district set it: the pure calendar with the holiday list."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.services import fields
from dualtrack.services import access
from dualtrack.services.models import Holiday, ServiceRequest
from dualtrack.services.workdays import Calendar


def calendar() -> Calendar:
    """The calendar with every holiday and worked weekend day the district has set."""
    holidays: set[datetime.date] = set()
    workdays: set[datetime.date] = set()
    for day, worked in Holiday.objects.values_list("day", "workday"):
        (workdays if worked else holidays).add(day)
    opens, closes = settings.SERVICES_OFFICE_HOURS
    return Calendar(
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        opens=datetime.time(opens),
        closes=datetime.time(closes),
    )


def days_left_while_paused(request: ServiceRequest) -> int | None:
    """The working days of a paused request's limit still to run once its documents arrive;
    None when it is not paused."""
    if not request.is_paused or request.due_on is None or request.paused_on is None:
        return None
    return calendar().working_days_left(request.paused_on, request.due_on)


def holiday_set(*, actor: User, day: Any, name: Any, workday: bool = False) -> Holiday:
    """The district administrator adds a holiday (or a weekend day worked instead)."""
    access.require_keep_catalogue(actor)
    errors: fields.Errors = []
    clean_day = fields.date(errors, "day", day, required=True)
    clean_name = fields.text(errors, "name", name, 50, required=True)
    fields.raise_if(errors)
    assert clean_day is not None
    with transaction.atomic():
        if Holiday.objects.filter(day=clean_day).exists():
            raise Conflict(_("This day is already in the calendar."), code="holiday_exists")
        holiday = Holiday.objects.create(day=clean_day, name=clean_name, workday=bool(workday))
        audit_record(
            actor=actor, action=AuditAction.CREATE, instance=holiday, after=snapshot(holiday)
        )
    return holiday
