"""Signals: opened from the flagged days a recomputation found, acknowledged and closed by people.

A signal is one run of consecutive flagged days of one method on one series in one area. A
recomputation extends the signal its run touches (overlapping it or starting the day after it
ends), whatever its state, and opens one only for a run that touches none: so a closed signal
does not fire again for the same run of days, and running a day twice changes nothing.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualtrack.core.audit import audit_record, snapshot
from dualtrack.core.errors import Conflict, require_text
from dualtrack.core.models import AuditAction, User
from dualtrack.prediction.access import require_handle
from dualtrack.prediction.models import Signal, SignalState
from dualtrack.prediction.services.results import Flags, Levels, insert_rows

NOTE_MAX_LENGTH = 500


def _runs(flagged: list[bool]) -> list[tuple[int, int]]:
    """The (first, last) indices of each run of True."""
    runs: list[tuple[int, int]] = []
    first = None
    for i, value in enumerate(flagged):
        if value and first is None:
            first = i
        elif not value and first is not None:
            runs.append((first, i - 1))
            first = None
    if first is not None:
        runs.append((first, len(flagged) - 1))
    return runs


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def signals_update(
    *,
    key: str,
    flags: Flags,
    levels: Levels,
    start: datetime.date,
    from_index: int,
    now: datetime.datetime,
) -> int:
    """Open and extend the signals of one series for the days from ``from_index``; how many
    were opened. Runs inside the recomputation's transaction."""
    from_day = start + datetime.timedelta(days=from_index)
    existing: dict[tuple[int, str], list[Signal]] = defaultdict(list)
    for signal in Signal.objects.filter(
        series=key, last_day__gte=from_day - datetime.timedelta(days=1)
    ).order_by("first_day"):
        existing[(signal.area_id, signal.method)].append(signal)
    opened: list[Signal] = []
    changed: list[Signal] = []
    for method, flagged in flags.flags.items():
        rows = np.flatnonzero(flagged[:, from_index:].any(axis=1)).tolist()
        for r in rows:
            area_id = levels.area_ids[r]
            for first, last in _runs(flagged[r, from_index:].tolist()):
                first_day = from_day + datetime.timedelta(days=first)
                last_day = from_day + datetime.timedelta(days=last)
                at = from_index + last
                value = _finite(flags.values[method][r, at])
                lower = _finite(flags.lower[r, at]) if method == "rt" else None
                upper = _finite(flags.upper[r, at]) if method == "rt" else None
                touching = [
                    s
                    for s in existing[(area_id, method)]
                    if s.first_day <= last_day
                    and s.last_day >= first_day - datetime.timedelta(days=1)
                ]
                if touching:
                    signal = touching[0]
                    if last_day >= signal.last_day:
                        signal.last_day = last_day
                        signal.value, signal.lower, signal.upper = value, lower, upper
                        changed.append(signal)
                    continue
                signal = Signal(
                    series=key,
                    area_id=area_id,
                    method=method,
                    first_day=first_day,
                    last_day=last_day,
                    value=value,
                    lower=lower,
                    upper=upper,
                    opened_at=now,
                )
                existing[(area_id, method)].append(signal)
                opened.append(signal)
    Signal.objects.bulk_update(changed, ["last_day", "value", "lower", "upper"], batch_size=500)
    ops = connection.ops
    opened_at = ops.adapt_datetimefield_value(now)
    insert_rows(
        Signal,
        (
            "series",
            "area_id",
            "method",
            "first_day",
            "last_day",
            "value",
            "lower",
            "upper",
            "state",
            "opened_at",
            "acknowledged_note",
            "closed_note",
        ),
        (
            (
                s.series,
                s.area_id,
                s.method,
                ops.adapt_datefield_value(s.first_day),
                ops.adapt_datefield_value(s.last_day),
                s.value,
                s.lower,
                s.upper,
                SignalState.OPEN.value,
                opened_at,
                "",
                "",
            )
            for s in opened
        ),
    )
    return len(opened)


def _note(note: str) -> str:
    return require_text("note", note, max_length=NOTE_MAX_LENGTH, required=False)


def signal_acknowledge(*, actor: User, signal: Signal, note: str = "") -> Signal:
    """Someone has seen the signal and is looking into it: it leaves the inbox and the open list."""
    require_handle(actor, signal.area)
    note = _note(note)
    with transaction.atomic():
        signal = Signal.objects.select_for_update().select_related("area").get(pk=signal.pk)
        if signal.state != SignalState.OPEN:
            raise Conflict(_("Only an open signal can be acknowledged."))
        before = snapshot(signal)
        signal.state = SignalState.ACKNOWLEDGED
        signal.acknowledged_at = timezone.now()
        signal.acknowledged_by = actor
        signal.acknowledged_note = note
        signal.save(
            update_fields=["state", "acknowledged_at", "acknowledged_by", "acknowledged_note"]
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=signal,
            area_code=signal.area.code,
            before=before,
            after=snapshot(signal),
        )
    return signal


def signal_close(*, actor: User, signal: Signal, note: str) -> Signal:
    """The signal is dealt with (or explained); it stays closed for the rest of its run."""
    require_handle(actor, signal.area)
    note = require_text("note", note, max_length=NOTE_MAX_LENGTH)
    with transaction.atomic():
        signal = Signal.objects.select_for_update().select_related("area").get(pk=signal.pk)
        if signal.state == SignalState.CLOSED:
            raise Conflict(_("The signal is closed already."))
        before = snapshot(signal)
        signal.state = SignalState.CLOSED
        signal.closed_at = timezone.now()
        signal.closed_by = actor
        signal.closed_note = note
        signal.save(update_fields=["state", "closed_at", "closed_by", "closed_note"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=signal,
            area_code=signal.area.code,
            before=before,
            after=snapshot(signal),
        )
    return signal
