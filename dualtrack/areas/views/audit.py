"""The audit history of one record: who changed what, when, from which value to which."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET

from dualtrack.areas import access
from dualtrack.areas.models import (
    Area,
    Cadre,
    Household,
    LiaisonAssignment,
    OrgUnit,
    Resident,
    RoleGrant,
)
from dualtrack.areas.selectors import area_list_for, org_unit_list_for
from dualtrack.core.audit import audit_history_for
from dualtrack.core.models import AuditEntry, User
from dualtrack.core.views import AuthenticatedRequest, domain_errors_as_http


@dataclass(frozen=True)
class Change:
    attname: str
    field: Any
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryRow:
    entry: AuditEntry
    changes: list[Change]


# References the page names, read through the same scoped selectors as their own pages; any
# other reference (or one out of sight) shows as its id.
_NAMED_REFERENCES: dict[type[models.Model], Callable[[User], QuerySet[Any]]] = {
    Area: lambda user: area_list_for(user=user),
    OrgUnit: lambda user: org_unit_list_for(user=user),
}


def _reference_names(
    user: User, fields: dict[str, models.Field[Any, Any]], entries: list[AuditEntry]
) -> dict[tuple[type[models.Model], str], str]:
    wanted: dict[type[models.Model], set[str]] = {}
    for entry in entries:
        for attname, pair in (entry.changes or {}).items():
            field = fields.get(attname)
            target = field.related_model if field is not None and field.is_relation else None
            if target in _NAMED_REFERENCES:
                wanted.setdefault(target, set()).update(str(v) for v in pair if v is not None)
    names = {}
    for model, ids in wanted.items():
        for instance in _NAMED_REFERENCES[model](user).filter(pk__in=ids):
            names[(model, str(instance.pk))] = str(instance)
    return names


def _history_rows(
    user: User, model: type[models.Model], entries: list[AuditEntry]
) -> list[HistoryRow]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    names = _reference_names(user, fields, entries)

    def readable(field: models.Field[Any, Any] | None, value: Any) -> Any:
        """A stored value as people read it: a choice's label, a reference's name or id."""
        if value is None or value == "":
            return None
        if field is not None and field.choices:
            return dict(field.flatchoices).get(value, value)
        if field is not None and field.related_model is not None:
            return names.get((field.related_model, str(value)), f"#{value}")
        return value

    rows = []
    for entry in entries:
        changes = []
        # audit_record stores every change as field → [before, after].
        for attname, (before, after) in sorted((entry.changes or {}).items()):
            field = fields.get(attname)
            changes.append(
                Change(
                    attname=attname,
                    field=field.verbose_name if field is not None else attname,
                    before=readable(field, before),
                    after=readable(field, after),
                )
            )
        rows.append(HistoryRow(entry=entry, changes=changes))
    return rows


def _record_url(user: User, record: models.Model) -> str | None:
    """The page of the record itself, where there is one the user may open."""
    if isinstance(record, Area):
        return reverse("area_detail", args=[record.pk])
    if isinstance(record, Household):
        return reverse("household_detail", args=[record.pk])
    if isinstance(record, Resident):
        return reverse("resident_detail", args=[record.pk])
    if isinstance(record, OrgUnit):
        return reverse("org_unit_detail", args=[record.pk])
    if isinstance(record, Cadre):
        return reverse("liaison_assign", args=[record.pk])
    if isinstance(record, LiaisonAssignment):
        return reverse("liaison_assign", args=[record.cadre_id])
    if isinstance(record, RoleGrant) and access.may_manage_accounts(user):
        return reverse("staff_detail", args=[record.user_id])
    return None


@require_GET
@login_required
@domain_errors_as_http
def audit_history(
    request: AuthenticatedRequest, app_label: str, model_name: str, object_id: str
) -> HttpResponse:
    """A record's audit trail, newest first (of a deleted record too); 404 when the user may
    not read the record's."""
    history = audit_history_for(
        user=request.user, app_label=app_label, model_name=model_name, object_id=object_id
    )
    record = history.record
    context = {
        "record": history.record_repr,
        "model_label": history.model._meta.verbose_name,
        "rows": _history_rows(request.user, history.model, history.entries),
        "record_url": _record_url(request.user, record) if record is not None else None,
    }
    return render(request, "areas/audit_history.html", context)


urlpatterns: list[URLPattern] = [
    path(
        "audit/<slug:app_label>/<slug:model_name>/<str:object_id>/",
        audit_history,
        name="audit_history",
    ),
]
