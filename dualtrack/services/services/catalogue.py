"""The catalogue the district administrator keeps: departments, matters and counters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dualtrack.areas.models import Area
from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict
from dualtrack.core.models import AuditAction, User
from dualtrack.enterprises.services import fields
from dualtrack.services import access
from dualtrack.services.models import Channel, Counter, Department, Matter

MAX_TIME_LIMIT = 365


def department_create(
    *, actor: User, name: Any, area: Area, staff: Sequence[User] = ()
) -> Department:
    """A department answering matters, with its staff: holders of the services clerk's role
    over the department's area."""
    access.require_keep_catalogue(actor)
    errors: fields.Errors = []
    clean = fields.text(errors, "name", name, 100, required=True)
    for user in staff:
        if not access.may_join_staff(user, area):
            errors.append(
                {
                    "field": "staff",
                    "message": _(
                        "%(name)s holds no services clerk's role over this department's area."
                    )
                    % {"name": user.display_name or user.username},
                }
            )
    fields.raise_if(errors)
    with transaction.atomic():
        if Department.objects.filter(name=clean).exists():
            raise Conflict(_("A department of this name exists."), code="department_exists")
        department = Department.objects.create(name=clean, area=area)
        department.staff.set(staff)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=department,
            area_code=area.code,
            after=snapshot(department),
        )
    return department


def matter_create(
    *,
    actor: User,
    department: Department,
    name: Any,
    documents: Sequence[Any],
    channels: Sequence[Any],
    time_limit_days: Any,
) -> Matter:
    """A matter of the catalogue: the documents it needs, the channels accepting it and its
    time limit in working days."""
    access.require_keep_catalogue(actor)
    errors: fields.Errors = []
    clean = fields.text(errors, "name", name, 100, required=True)
    docs: list[str] = []
    for index, document in enumerate(documents):
        text = fields.text(errors, f"documents.{index}", document, 100, required=True)
        if text and text not in docs:
            docs.append(text)
    chosen = [str(c) for c in channels]
    if not chosen or any(c not in Channel.values for c in chosen):
        errors.append({"field": "channels", "message": _("Choose the channels accepting it.")})
    days = fields.count(errors, "time_limit_days", time_limit_days, maximum=MAX_TIME_LIMIT)
    if not any(e["field"] == "time_limit_days" for e in errors) and days < 1:
        errors.append({"field": "time_limit_days", "message": _("At least one working day.")})
    fields.raise_if(errors)
    with transaction.atomic():
        if Matter.objects.filter(name=clean).exists():
            raise Conflict(_("A matter of this name exists."), code="matter_exists")
        matter = Matter.objects.create(
            department=department,
            name=clean,
            documents=docs,
            channels=[c for c in Channel.values if c in chosen],
            time_limit_days=days,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=matter,
            area_code=department.area.code,
            after=snapshot(matter),
        )
    return matter


def counter_create(*, actor: User, department: Department, name: Any, place: Any = "") -> Counter:
    """A service counter of a department."""
    access.require_keep_catalogue(actor)
    errors: fields.Errors = []
    clean = fields.text(errors, "name", name, 100, required=True)
    where = fields.text(errors, "place", place, 200, required=False)
    fields.raise_if(errors)
    with transaction.atomic():
        if Counter.objects.filter(department=department, name=clean).exists():
            raise Conflict(_("The department has a counter of this name."), code="counter_exists")
        counter = Counter.objects.create(department=department, name=clean, place=where)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=counter,
            area_code=department.area.code,
            after=snapshot(counter),
        )
    return counter
