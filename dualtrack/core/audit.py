"""Recording writes and unmasked views into the audit trail.

Apps call ``audit_record`` from inside their services' transactions. ``snapshot`` turns a model
instance into JSON-able values; encrypted fields appear only masked, through the ``AUDIT_MASKS``
mapping a model may declare (field name → masking function).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from dualtrack.core import sql
from dualtrack.core.models import AuditAction, AuditEntry, User
from dualtrack.core.validators import parse_id

Snapshot = dict[str, Any]


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> Snapshot:
    """The audit-safe values of a record's concrete fields."""
    masks: dict[str, Callable[[str], str]] = getattr(instance, "AUDIT_MASKS", {})
    result: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name.endswith("_digest") or field.primary_key:
            continue
        value = getattr(instance, field.attname)
        if field.name in masks and value:
            value = masks[field.name](value)
        result[field.attname] = _jsonable(value)
    return result


def diff(before: Snapshot | None, after: Snapshot | None) -> dict[str, list[Any]]:
    """Field → [before, after] for every field whose value changed."""
    before = before or {}
    after = after or {}
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_entry(
    *,
    actor: User | None,
    action: AuditAction | str,
    instance: models.Model,
    area_code: str = "",
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    note: str = "",
) -> AuditEntry:
    """An audit entry, unsaved: for a service that writes many at once with bulk_create."""
    return AuditEntry(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(instance),
        target_id=str(instance.pk),
        target_repr=str(instance)[:200],
        area_code=area_code,
        changes=diff(before, after),
        note=note[:300],
    )


def audit_record(
    *,
    actor: User | None,
    action: AuditAction | str,
    instance: models.Model,
    area_code: str = "",
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one audit entry; call inside the service's transaction."""
    entry = audit_entry(
        actor=actor,
        action=action,
        instance=instance,
        area_code=area_code,
        before=before,
        after=after,
        note=note,
    )
    sql.insert(entry)  # a registration at a gate writes one: by hand (see core.sql)
    return entry


# --- Reading the trail -------------------------------------------------------------------------
# Each app registers, per model, the records whose history a user may read (its scoping lives in
# the app, which core does not import).

_AUDIT_SCOPES: dict[type[models.Model], Callable[[User], models.QuerySet[Any]]] = {}


def register_audit_scope(
    model: type[models.Model], visible: Callable[[User], models.QuerySet[Any]]
) -> None:
    _AUDIT_SCOPES[model] = visible


def audit_history_for(
    *, user: User, app_label: str, model_name: str, object_id: str, limit: int = 200
) -> tuple[models.Model, list[AuditEntry]]:
    """A record and its audit entries, newest first, if the user may read its history."""
    from dualtrack.core.errors import NotFound

    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
    except ContentType.DoesNotExist as exc:
        raise NotFound() from exc
    model = content_type.model_class()
    visible = _AUDIT_SCOPES.get(model) if model else None
    if visible is None:
        raise NotFound()
    pk = parse_id(object_id)
    instance = visible(user).filter(pk=pk).first() if pk is not None else None
    if instance is None:
        raise NotFound()
    entries = list(
        AuditEntry.objects.filter(target_type=content_type, target_id=str(instance.pk))
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    return instance, entries
