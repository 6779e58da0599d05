"""Recording writes and unmasked views into the audit trail.

Apps call ``audit_record`` from inside their services' transactions. ``snapshot`` turns a model
instance into JSON-able values; encrypted fields appear only masked, through the ``AUDIT_MASKS``
mapping a model may declare (field name → masking function).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from dualtrack.core import sql
from dualtrack.core.errors import NotFound
from dualtrack.core.models import AuditAction, AuditEntry, User
from dualtrack.core.platform import audit_scope_for
from dualtrack.core.validators import parse_id

Snapshot = dict[str, Any]


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time, decimal.Decimal)):
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
# Each app says, per model, whose history a user may read (``AuditScope`` in the contribution it
# registers with ``core.platform``): its scoping lives in the app, which core does not import.


@dataclass(frozen=True)
class AuditHistory:
    """A record's audit trail, newest first. ``record`` is None when the record was deleted:
    ``record_repr`` is then what its last entry called it."""

    model: type[models.Model]
    record_id: str
    record: models.Model | None
    record_repr: str
    entries: list[AuditEntry]


def audit_history_for(
    *, user: User, app_label: str, model_name: str, object_id: str, limit: int = 200
) -> AuditHistory:
    """A record's audit history if the user may read it: of a live record, if the record is in
    the user's audit scope; of a deleted one, if the area its last entry was written under is."""
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
    except ContentType.DoesNotExist as exc:
        raise NotFound() from exc
    model = content_type.model_class()
    scope = audit_scope_for(model) if model is not None else None
    pk = parse_id(object_id)
    if model is None or scope is None or pk is None:
        raise NotFound()
    trail = AuditEntry.objects.filter(target_type=content_type, target_id=str(pk))
    instance = scope.visible(user).filter(pk=pk).first()
    if instance is None:
        # Out of sight, or deleted: a live record out of sight is not found, as is one that
        # never was; a deleted one is read by the area its last entry was written under.
        if model._default_manager.filter(pk=pk).exists():
            raise NotFound()
        last = trail.order_by("-at", "-id").first()
        if last is None or not scope.area_visible(user, last.area_code):
            raise NotFound()
    entries = list(trail.select_related("actor").order_by("-at", "-id")[:limit])
    return AuditHistory(
        model=model,
        record_id=str(pk),
        record=instance,
        record_repr=str(instance) if instance is not None else entries[0].target_repr,
        entries=entries,
    )
