"""Bulk sync of passages from devices that were offline, and from scripts.

Up to settings.PASSAGE_SYNC_MAX_ROWS rows a request, each with its device-generated client id.
Rows are validated one by one in Python; the good ones are written in one bulk insert that
skips client ids already stored (a retried batch, or a concurrent one), their alerts in one more,
and the figures they add up to in one upsert per (checkpoint, day) and per shift. A bad row is
reported with its reasons and never holds back the good ones.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualtrack.areas.models import Resident
from dualtrack.checkpoints.access import checkpoint_abilities
from dualtrack.checkpoints.models import (
    Alert,
    Checkpoint,
    CheckpointStatus,
    Direction,
    Passage,
    PassageSource,
    Shift,
)
from dualtrack.checkpoints.services.passage_input import (
    CleanPassage,
    Errors,
    PassageInput,
    RiskMatcher,
    clean_passage,
    fever_threshold,
)
from dualtrack.checkpoints.services.passage_insert import insert_passages
from dualtrack.checkpoints.services.rollups import bump
from dualtrack.core import errors
from dualtrack.core.audit import audit_entry
from dualtrack.core.crypto import encrypt, lookup_digest
from dualtrack.core.errors import DomainError, ValidationFailed
from dualtrack.core.models import AuditAction, AuditEntry, User

INPUT_FIELDS = frozenset(f.name for f in fields(PassageInput)) - {"previous_passage_id"}
ROW_FIELDS = INPUT_FIELDS | {"checkpoint_id"}


class BatchTooLarge(DomainError):
    status = 413
    code = "batch_too_large"
    default_message = gettext_lazy("Too many rows in one batch.")


class QueuedByAnotherUser(errors.QueuedByAnotherUser):
    default_message = gettext_lazy(
        "These registrations were made on this device by another user; they are kept on the "
        "device until that user signs in again."
    )


@dataclass
class SyncReport:
    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


class _Shifts:
    """The shifts of the batch's checkpoints over its time span, loaded once."""

    def __init__(self, checkpoint_ids: Iterable[int], moments: Sequence[datetime.datetime]):
        self.by_checkpoint: dict[int, list[tuple[datetime.datetime, datetime.datetime, int]]]
        self.by_checkpoint = defaultdict(list)
        if not moments:
            return
        rows = Shift.objects.filter(
            checkpoint_id__in=set(checkpoint_ids),
            starts_at__lte=max(moments),
            ends_at__gt=min(moments),
        ).values_list("checkpoint_id", "starts_at", "ends_at", "id")
        for checkpoint_id, starts, ends, pk in rows:
            self.by_checkpoint[checkpoint_id].append((starts, ends, pk))
        for shifts in self.by_checkpoint.values():
            shifts.sort(reverse=True)

    def at(self, checkpoint_id: int, moment: datetime.datetime) -> int | None:
        for starts, ends, pk in self.by_checkpoint.get(checkpoint_id, ()):
            if starts <= moment < ends:
                return pk
        return None


def _row_input(row: dict[str, Any]) -> PassageInput:
    values = {name: row[name] for name in INPUT_FIELDS if name in row}
    if values.get("notice_given") is None:
        values["notice_given"] = False
    for name in ("name", "id_number", "phone", "origin_code", "purpose", "direction"):
        if values.get(name) is None:
            values[name] = ""
    return PassageInput(**values)


def passages_sync(
    *, actor: User, rows: list[dict[str, Any]], queued_by: int | None = None
) -> SyncReport:
    """Write a batch of registrations; idempotent by client id, validated row by row.

    ``queued_by`` is the user a device's queue belongs to: on a phone shared at a gate, rows
    one user registered offline are never written under another's name."""
    if queued_by is not None and queued_by != actor.pk:
        raise QueuedByAnotherUser()  # the register's own words for core's refusal
    if not isinstance(rows, list):
        raise ValidationFailed.for_field("rows", _("Enter a list."), code="rows_not_a_list")
    limit = settings.PASSAGE_SYNC_MAX_ROWS
    if len(rows) > limit:
        raise BatchTooLarge(
            _("At most %(limit)d rows in one batch; this one has %(n)d. Split it.")
            % {"limit": limit, "n": len(rows)}
        )
    report = SyncReport()
    if not rows:
        return report
    now = timezone.now()
    today = timezone.localtime(now).date()

    checkpoint_ids = {
        pk for row in rows if isinstance(row, dict) if (pk := _int(row.get("checkpoint_id")))
    }
    checkpoints = Checkpoint.objects.select_related("area").in_bulk(checkpoint_ids)
    outside = _("No such checkpoint, or it is outside your scope.")
    # Once a checkpoint, not once a row: why the actor may not register there, if not.
    refusals = {pk: _refusal(actor, cp, outside) for pk, cp in checkpoints.items()}
    resident_ids = {
        r["resident_id"] for r in rows if isinstance(r, dict) if _int(r.get("resident_id"))
    }
    residents = Resident.objects.in_bulk(resident_ids) if resident_ids else {}

    pending: list[tuple[int, CleanPassage, int]] = []
    first_index: dict[uuid.UUID, int] = {}
    in_batch_duplicates: list[tuple[int, uuid.UUID, int]] = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            report.rejected.append(
                {"index": index, "client_id": None, "errors": {"row": [_("Enter an object.")]}}
            )
            continue
        errors: Errors = {}
        if unknown := row.keys() - ROW_FIELDS:
            for name in sorted(unknown):
                errors.setdefault(name, []).append(_("Unknown field."))
        checkpoint_id = _int(row.get("checkpoint_id"))
        refusal = refusals.get(checkpoint_id, outside) if checkpoint_id else outside
        if refusal:
            errors.setdefault("checkpoint_id", []).append(refusal)
        clean, row_errors = clean_passage(
            _row_input(row),
            now=now,
            client_id_required=True,
            residents=residents.get,
            today=today,
        )
        for name, messages in row_errors.items():
            errors.setdefault(name, []).extend(messages)
        raw_client_id = row.get("client_id")
        if errors or clean is None or checkpoint_id is None:
            report.rejected.append(
                {"index": index, "client_id": _str_or_none(raw_client_id), "errors": errors}
            )
            continue
        if clean.client_id in first_index:
            in_batch_duplicates.append((index, clean.client_id, checkpoint_id))
            continue
        first_index[clean.client_id] = index
        pending.append((index, clean, checkpoint_id))

    # Client ids already stored (a retried batch, a concurrent one) are found by the insert
    # itself, which skips them: no lookup beforehand for the batches that are all new.
    written = _write(actor=actor, pending=pending, checkpoints=checkpoints, now=now)
    firsts = [(index, clean.client_id, checkpoint_id) for index, clean, checkpoint_id in pending]
    for index, client_id, checkpoint_id in firsts + in_batch_duplicates:
        pk, stored_before, stored_at = written[client_id]
        if stored_at != checkpoint_id:
            report.rejected.append(
                {
                    "index": index,
                    "client_id": str(client_id),
                    "errors": {
                        "client_id": [_("This client id was already used at another checkpoint.")]
                    },
                }
            )
            continue
        duplicate = stored_before or first_index[client_id] != index
        report.accepted.append(_accepted(index, client_id, pk, duplicate=duplicate))
    report.accepted.sort(key=lambda a: a["index"])
    report.rejected.sort(key=lambda r: r["index"])
    return report


def _refusal(actor: User, checkpoint: Checkpoint, outside: str) -> str | None:
    abilities = checkpoint_abilities(actor, checkpoint)
    if not abilities.see:
        return outside
    if not abilities.register:
        return _("Your role does not allow registering passages here.")
    if checkpoint.status != CheckpointStatus.OPEN:
        return _("This checkpoint is not open: nothing can be registered here.")
    return None


def _str_or_none(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _accepted(index: int, client_id: uuid.UUID, pk: int, *, duplicate: bool) -> dict[str, Any]:
    return {"index": index, "client_id": str(client_id), "passage_id": pk, "duplicate": duplicate}


def _write(
    *,
    actor: User,
    pending: list[tuple[int, CleanPassage, int]],
    checkpoints: dict[int, Checkpoint],
    now: datetime.datetime,
) -> dict[uuid.UUID, tuple[int, bool, int]]:
    """Insert the good rows whose client id is new; client id → (passage id, was it stored
    before, the checkpoint it is stored at)."""
    if not pending:
        return {}
    shifts = _Shifts({cp for _, _, cp in pending}, [c.occurred_at for _, c, _ in pending])
    risk = RiskMatcher()
    local = timezone.get_current_timezone()  # once: each lookup goes through a context var
    days = {c.occurred_at: c.occurred_at.astimezone(local).date() for _, c, _ in pending}
    for day in set(days.values()):
        risk.prefixes(day)  # loaded now: no other statement can run while the COPY streams
    # In client-id order: two devices syncing the same rows in different orders would otherwise
    # each hold some of the other's client ids in the unique index and wait for the rest, a
    # deadlock PostgreSQL breaks by failing one of them (a 500). Taken in one order, the later
    # batch waits for the earlier to commit, then skips what it stored.
    ordered = sorted(pending, key=lambda p: p[1].client_id.int)
    rows: list[_Row] = []
    with transaction.atomic():
        inserted = insert_passages(
            _values(ordered, rows, actor=actor, now=now, shifts=shifts, risk=risk, days=days),
            count=len(ordered),
        )
        result: dict[uuid.UUID, tuple[int, bool, int]] = {}
        missing = []
        fresh: list[_Row] = []
        for row in rows:
            pk = inserted.get(row.client_id)
            if pk is None:
                missing.append(row.client_id)
            else:
                result[row.client_id] = (pk, False, row.checkpoint_id)
                fresh.append(row)
        if missing:
            # Stored before: by an earlier sync of the same rows, or a concurrent one.
            for cid, pk, checkpoint_id in Passage.objects.filter(client_id__in=missing).values_list(
                "client_id", "id", "checkpoint_id"
            ):
                result[cid] = (pk, True, checkpoint_id)
        alerts = [
            Alert(
                passage_id=inserted[r.client_id],
                checkpoint_id=r.checkpoint_id,
                fever=r.is_fever,
                risk_area=r.from_risk_area,
                raised_at=r.occurred_at,
            )
            for r in fresh
            if r.is_fever or r.from_risk_area
        ]
        if alerts:
            Alert.objects.bulk_create(alerts, batch_size=1000)
        daily: dict[tuple[int, datetime.date], Counter[str]] = defaultdict(Counter)
        by_shift: dict[int, Counter[str]] = defaultdict(Counter)
        per_checkpoint: Counter[int] = Counter()
        for (checkpoint_id, day, shift_id, names), n in Counter(
            (r.checkpoint_id, r.day, r.shift_id, r.counter_names()) for r in fresh
        ).items():
            counters = daily[(checkpoint_id, day)]
            for name in names:
                counters[name] += n
            if shift_id:
                shift_counters = by_shift[shift_id]
                for name in names:
                    shift_counters[name] += n
            per_checkpoint[checkpoint_id] += n
        bump(daily, by_shift)
        AuditEntry.objects.bulk_create(
            audit_entry(
                actor=actor,
                action=AuditAction.IMPORT,
                instance=checkpoints[checkpoint_id],
                area_code=checkpoints[checkpoint_id].area.code,
                after={"passages_synced": count},
                note=f"passages sync: {count} new",
            )
            for checkpoint_id, count in sorted(per_checkpoint.items())
        )
    return result


def _values(
    ordered: list[tuple[int, CleanPassage, int]],
    rows: list[_Row],
    *,
    actor: User,
    now: datetime.datetime,
    shifts: _Shifts,
    risk: RiskMatcher,
    days: dict[datetime.datetime, datetime.date],
) -> Iterator[tuple[Any, ...]]:
    """The register's columns of each row, made as the COPY takes them (so that the database
    stores the first rows while the rest are sealed); each row is kept in ``rows``."""
    sealed = _Sealer()
    threshold = fever_threshold()
    source = PassageSource.SYNC.value
    actor_id = actor.pk
    for _index, clean, checkpoint_id in ordered:
        day = days[clean.occurred_at]
        fever = clean.temperature is not None and clean.temperature >= threshold
        shift_id = shifts.at(checkpoint_id, clean.occurred_at)
        from_risk_area = risk.matches(clean.origin_code, day)
        rows.append(
            _Row(
                client_id=clean.client_id,
                checkpoint_id=checkpoint_id,
                shift_id=shift_id,
                occurred_at=clean.occurred_at,
                day=day,
                direction=clean.direction,
                is_fever=fever,
                from_risk_area=from_risk_area,
            )
        )
        id_cipher, id_digest = sealed(clean.id_number)
        phone_cipher, phone_digest = sealed(clean.phone)
        yield (
            checkpoint_id,
            shift_id,
            clean.client_id,
            clean.occurred_at,
            now,
            clean.direction,
            clean.temperature,
            actor_id,
            clean.resident_id,
            clean.name,
            id_cipher,
            id_digest,
            phone_cipher,
            phone_digest,
            clean.origin_code,
            clean.origin_name,
            clean.purpose,
            clean.notice_given,
            source,
            actor_id,
            fever,
            from_risk_area,
        )


@dataclass(slots=True)
class _Row:
    client_id: uuid.UUID
    checkpoint_id: int
    shift_id: int | None
    occurred_at: datetime.datetime
    day: datetime.date
    direction: str
    is_fever: bool
    from_risk_area: bool

    def counter_names(self) -> tuple[str, ...]:
        names: tuple[str, ...] = ("people_in" if self.direction == Direction.IN else "people_out",)
        if self.is_fever:
            names += ("fevers",)
        if self.from_risk_area:
            names += ("risk_arrivals",)
        if self.is_fever or self.from_risk_area:
            names += ("alerts_raised",)
        return names


class _Sealer:
    """Ciphertext and digest of a value, once per batch: a commuter in a batch many times is
    encrypted once (the same plaintext under the same key reveals no more than its digest)."""

    def __init__(self) -> None:
        self._done: dict[str, tuple[str, str]] = {"": ("", "")}

    def __call__(self, value: str) -> tuple[str, str]:
        sealed = self._done.get(value)
        if sealed is None:
            sealed = self._done[value] = (encrypt(value), lookup_digest(value))
        return sealed
